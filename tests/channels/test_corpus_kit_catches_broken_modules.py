"""The corpus battery fails when a module drops a field, disagrees with an expected result or builds a wrong request."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from pydantic import SecretStr

from canonical import InboundEvent, InboundEventKind, OrderStatus, PauseRequest, ServiceType
from integrations.channels.base import Acknowledgement, ChannelClient, ChannelModule
from integrations.channels.checks import check_module
from integrations.channels.context import ConnectionInfo
from integrations.channels.corpus import CorpusCase
from integrations.channels.credentials import ChannelCredentials
from integrations.channels.features import Features, NotSupported, PostAvailabilityOptions, Supported
from integrations.channels.payloads import read_json
from integrations.channels.statuses import StatusMap
from integrations.channels.testkit import ChannelModuleContract

CANCELLED = {"event_id": "ev-1", "order_id": "o-1", "state": "CANCELLED", "reason": "USER_ERROR"}


class Token(ChannelCredentials):
    token: SecretStr


class PauseClient(ChannelClient):
    def pause(self, pause: PauseRequest) -> None:  # PATCH where the "docs" say PUT
        self.transport.http("https://api.example.com").patch("/closing", operation="pause",
                                                             json={"until": "2026-01-16T22:30:00Z"})


class StatusModule(ChannelModule):
    """Reads event_id, order_id and state; never looks at reason."""

    slug = "status_only"
    name = "Status only"
    credentials = Token
    order_statuses = StatusMap(inbound={"CANCELLED": OrderStatus.CANCELLED})
    client_class = PauseClient
    features = Features(
        get_order=NotSupported("none"), get_status=NotSupported("none"), publish_catalog=NotSupported("none"),
        post_status=NotSupported("none"), post_delivery_location=NotSupported("none"),
        post_availability=Supported(PostAvailabilityOptions(weekly_hours=False, exceptions=False, pause=True)),
        webhook_new_order=NotSupported("none"), webhook_status_changed=Supported(),
    )

    def verify_webhook(self, connection, body, headers, now) -> None:
        pass

    def parse_webhook(self, connection, body, headers) -> list[InboundEvent]:
        data = read_json(body)
        return [InboundEvent(kind=InboundEventKind.STATUS_CHANGED, event_id=data["event_id"],
                             channel_order_id=data["order_id"], channel_status=data["state"],
                             status=self.to_canonical_status(data["state"]))]


def webhook(expected_order_id: str = "o-1") -> CorpusCase:
    return CorpusCase("webhook_cancelled", {"kind": "webhook", "raw_body": json.dumps(CANCELLED),
                                            "payload": CANCELLED},
                      {"event": {"channel_order_id": expected_order_id, "status": "cancelled"}})


PAUSE = CorpusCase("request_close", {"kind": "request", "request": {"method": "PUT",
                                                                    "url": "https://api.example.com/closing"},
                                     "payload": {"until": "2026-01-16T23:30:00+01:00"}}, {})


def contract(module: type[ChannelModule] = StatusModule) -> ChannelModuleContract:
    class Contract(ChannelModuleContract):
        module_class = module

        def corpus_connection(self) -> ConnectionInfo:
            return ConnectionInfo(connection_id=1, store_id="s-1", environment="production", base_url="",
                                  credentials=Token(token=SecretStr("t")))

        def corpus_now(self, case: CorpusCase) -> datetime:
            return datetime(2026, 1, 16, tzinfo=UTC)

        def outbound_calls(self):
            return {"request_close": lambda client: client.pause(PauseRequest(service_type=ServiceType.DELIVERY))}

    return Contract()


def test_a_field_neither_read_nor_ignored_fails_the_kit_by_its_path():
    with pytest.raises(AssertionError, match=r"neither read nor declared ignored[\s\S]*reason"):
        contract().test_corpus_fields_are_read_or_ignored(webhook())


def test_a_field_ignored_with_a_reason_passes_and_a_known_gap_passes_as_known():
    ignoring = type("Ignoring", (StatusModule,), {"ignored_fields": {"reason": "shown on the channel's portal"}})
    gap = type("Gap", (StatusModule,), {"known_gaps": {"reason": "the cancel reason is dropped"}})

    contract(ignoring).test_corpus_fields_are_read_or_ignored(webhook())
    contract(gap).test_corpus_fields_are_read_or_ignored(webhook())


def test_a_field_declared_ignored_that_the_module_reads_fails_the_kit():
    stale = type("Stale", (StatusModule,), {"ignored_fields": {"state": "unused", "reason": "unused"}})

    with pytest.raises(AssertionError, match=r"declared ignored that the module reads[\s\S]*state"):
        contract(stale).test_corpus_fields_are_read_or_ignored(webhook())


def test_a_known_gap_the_module_now_reads_everywhere_fails_the_kit():
    fixed = type("Fixed", (StatusModule,), {"known_gaps": {"state": "was dropped"}})
    kit = contract(fixed)
    kit.corpus = lambda: [webhook()]

    with pytest.raises(AssertionError, match="remove them from known_gaps\\): state"):
        kit.test_known_gaps_are_still_gaps()


def test_an_ignored_field_without_a_reason_is_named_by_the_static_checks():
    silent = type("Silent", (StatusModule,), {"ignored_fields": {"reason": " "}})

    assert "ignored_fields: 'reason' needs a reason" in check_module(silent)


def test_a_result_that_disagrees_with_the_expected_file_fails_with_the_field_and_both_values():
    with pytest.raises(AssertionError, match=r"event\.channel_order_id: expected 'o-2', got 'o-1'"):
        contract().test_corpus_matches_the_expected_result(webhook(expected_order_id="o-2"))


def test_a_request_built_with_another_method_fails_with_the_method_named():
    with pytest.raises(AssertionError, match="method: expected 'PUT', got 'PATCH'"):
        contract().test_corpus_requests_are_built_as_documented(PAUSE)


def test_a_module_that_does_not_answer_as_the_channel_documents_fails_the_kit():
    case = webhook()
    case.expected["acknowledge"] = {"status": 200, "body": ""}

    with pytest.raises(AssertionError, match=r"acknowledge: expected .HTTP 200 ''., got .no acknowledgement declared"):
        contract().test_corpus_matches_the_expected_result(case)
    answering = type("Answering", (StatusModule,), {"acknowledgement": Acknowledgement(status=200, body=b"")})
    contract(answering).test_corpus_matches_the_expected_result(case)


def test_a_supported_operation_without_a_documented_request_is_named_until_it_says_why():
    kit = contract()
    kit.corpus = lambda: [PAUSE]

    with pytest.raises(AssertionError, match=r"without a documented request example .*: resume"):
        kit.test_every_supported_operation_has_a_documented_request_or_says_why_not()
    kit.outbound_without_example = {"resume": "DELETE has no body to compare"}
    kit.test_every_supported_operation_has_a_documented_request_or_says_why_not()
