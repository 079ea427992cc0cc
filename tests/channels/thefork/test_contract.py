"""The TheFork module runs the contract kit on TheFork's documented shapes (its corpus, every reservation status).

Two of the kit's steps assume what TheFork is not, so this test says it in its own words (the kit is shared and
not TheFork's to change; both are contract gaps, named in docs/channels/thefork.md):

- a reservation GET needs a second documented response, its customer's (``related`` in the fixture): the kit
  answers every request of a ``get_order`` fixture with the one payload, so ``translate`` here answers each
  request with the fixture's response for its URL;
- the kit asks a module that takes new-order webhooks for a ``new_order`` event and one that takes status
  webhooks for a ``status_changed`` event; TheFork takes reservations only, and its status webhook
  (``reservationUpdated``) carries no status, so it is a fetch like a new reservation's.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from pydantic import SecretStr
from requests.structures import CaseInsensitiveDict

from canonical import InboundEventKind, OrderRef, OrderStatus, ServiceType, StatusUpdate
from integrations.channels.context import ConnectionInfo
from integrations.channels.corpus import CorpusCase
from integrations.channels.corpus_contract import Translation
from integrations.channels.payloads import reading
from integrations.channels.recording import CannedResponse, RecordingTransport
from integrations.channels.testkit import ChannelModuleContract, WebhookSample
from integrations.channels.thefork.module import Module, TheForkCredentials

from .corpus import GROUP, RESTAURANT, fixture

CANCELLED_ONE = OrderRef(channel_order_id="9d2f4b61-3a5c-4e7d-8f90-1a2b3c4d5e01", service_type=ServiceType.RESERVATION)
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def connection(base_url: str = "") -> ConnectionInfo:
    return ConnectionInfo(
        connection_id=1, store_id=RESTAURANT, environment="production", base_url=base_url, currency="EUR",
        credentials=TheForkCredentials(client_id="sinqro-corpus-client", client_secret=SecretStr("corpus-secret"),
                                       group_uuid=GROUP),
    )


def corpus_webhook(name: str) -> WebhookSample:
    case = fixture(name)
    kinds = {"new_reservation": (InboundEventKind.NEW_RESERVATION,), "unknown": (InboundEventKind.UNKNOWN,)}
    return WebhookSample(name, case.body, case.headers, kinds[case.expected["event_kind"]])


def with_body(name: str, **changes) -> bytes:
    return json.dumps({**fixture(name).payload, **changes}, separators=(",", ":")).encode()


class TestTheForkContract(ChannelModuleContract):
    module_class = Module
    sample_fields_checked = True  # the samples are the corpus' webhooks: TheFork's documented shapes
    valid_credentials = {"client_id": "cid", "client_secret": "tf-9f2c1e7a", "group_uuid": GROUP}
    invalid_credentials = [
        {"client_id": "cid"},
        {"client_secret": "secret"},
        {"client_id": "cid", "client_secret": "secret", "webhook_signing_key": "x"},
    ]

    def connection(self) -> ConnectionInfo:
        return connection()

    def now(self) -> datetime:
        return NOW

    def webhook_samples(self) -> list[WebhookSample]:
        return [corpus_webhook(name) for name in ("webhook_reservation_created", "webhook_reservation_updated",
                                                  "webhook_customer_created", "webhook_customer_updated")]

    def forged_webhooks(self) -> list[WebhookSample]:
        headers = {"Content-Type": "application/json"}
        return [
            WebhookSample("another restaurant's reservation",
                          with_body("webhook_reservation_created",
                                    restaurantUuid="00000000-0000-4000-8000-000000000001"), headers),
            WebhookSample("another group's customer",
                          with_body("webhook_customer_updated", groupUuid="00000000-0000-4000-8000-000000000002"),
                          headers),
        ]

    def malformed_webhooks(self) -> list[WebhookSample]:
        headers = {"Content-Type": "application/json"}
        return [
            WebhookSample("not JSON", b"entityType=reservation", headers),
            WebhookSample("a list", b"[]", headers),
            WebhookSample("no uuid", with_body("webhook_reservation_created", uuid=""), headers),
            WebhookSample("eventType not text", with_body("webhook_reservation_updated", eventType=7), headers),
        ]

    def test_samples_cover_the_declared_webhook_features(self) -> None:
        """TheFork's own version of the kit's check: new reservations, and updates fetched for their status."""
        parsed = {sample.name: self._parse(sample) for sample in self.webhook_samples()}
        assert [event.kind for event in parsed["webhook_reservation_created"]] == [InboundEventKind.NEW_RESERVATION]
        [update] = parsed["webhook_reservation_updated"]
        assert update.needs_fetch and update.channel_order_id == fixture("webhook_reservation_updated").payload["uuid"]

    # --- the corpus (integrations/channels/thefork/corpus) --------------------------------

    def corpus_connection(self) -> ConnectionInfo:
        return connection()

    def corpus_now(self, case: CorpusCase) -> datetime:
        return NOW

    def outbound_calls(self):
        return {
            "request_cancel_reservation": lambda client: client.set_order_status(
                CANCELLED_ONE, StatusUpdate(status=OrderStatus.CANCELLED, reason="The kitchen flooded")),
        }

    def translate(self, case: CorpusCase) -> Translation:
        if case.kind != "get_order":
            return super().translate(case)
        responses = {case.request["url"]: case.payload}
        responses |= {related["request"]["url"]: related["payload"] for related in case.fixture.get("related", ())}
        module, result = self.module_class(), Translation()
        try:
            trigger = case.fixture["trigger"]
            body = trigger["raw_body"].encode()
            headers = CaseInsensitiveDict(trigger.get("headers") or {})
            module.verify_webhook(self.corpus_connection(), body, headers, NOW)
            result.trigger_events = module.parse_webhook(self.corpus_connection(), body, headers)
            transport = RecordingTransport(respond=lambda request: CannedResponse(200, responses[request.url])
                                           if request.url in responses else CannedResponse(404, b""))
            with reading() as log:
                try:
                    [announced] = result.trigger_events
                    client = module.client(self.corpus_connection(), transport)
                    result.order = client.get_announced_order(announced)
                    result.requests = transport.channel_requests()
                finally:
                    result.read = set(log.paths)
        except Exception as exc:  # reported by each check with the fixture's name
            result.error = exc
        return result
