"""The contract test kit: the battery every channel module runs for free.

Subclass ``ChannelModuleContract`` in ``tests/channels/test_<slug>_contract.py``
(the class name must start with ``Test``) and provide the fixtures below. Each
check fails with a sentence saying what to fix.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, ClassVar

import pytest
from pydantic import ValidationError
from requests.structures import CaseInsensitiveDict

from canonical import CanonicalOrder, InboundEventKind, OrderStatus, ServiceType

from .base import ChannelModule
from .checks import check_module
from .context import ConnectionInfo
from .corpus_contract import CorpusContract
from .errors import MalformedWebhook, UnmappedStatus, WebhookRejected
from .features import Feature, WebhookNewOrderOptions, WebhookStatusOptions
from .payloads import account_for, reading


@dataclass(frozen=True)
class WebhookSample:
    """A webhook as the channel sends it: raw bytes, headers, and what it should parse into."""

    name: str
    body: bytes
    headers: dict[str, str]
    expected_kinds: tuple[InboundEventKind, ...] = ()
    expected: dict[str, Any] = field(default_factory=dict)
    """Optional field values to check on the first parsed event, e.g. {"channel_order_id": "SM-1"}."""


class ChannelModuleContract(CorpusContract):
    """Shared contract tests. Provide:

    * ``module_class``;
    * ``valid_credentials`` (a dict the schema accepts) and ``invalid_credentials`` (a list of dicts it rejects);
    * ``connection()`` → a ``ConnectionInfo`` with those credentials;
    * ``now()`` → the instant the samples were signed for;
    * ``webhook_samples()`` → authentic samples of every event kind the module handles;
    * ``forged_webhooks()`` → samples that must be rejected (bad signature, replayed, missing header…);
    * ``malformed_webhooks()`` → authentic but unreadable bodies (at least one: a module that never meets
      one has not been shown to refuse it);

    and, for the module's corpus (``integrations/channels/<slug>/corpus/``, run by ``CorpusContract``):

    * ``corpus_connection()`` → the connection the corpus was written for (production, no base URL);
    * ``corpus_now(case)`` → when a webhook fixture is received; ``corpus_headers(case)`` when the setup adds any;
    * ``outbound_calls()`` → for each ``request_*`` fixture, the client call that builds it;
    * ``corpus_defects`` → today's known defects, ``{(check, fixture): "the defect"}`` (strict xfails).
    """

    module_class: ClassVar[type[ChannelModule]]
    valid_credentials: ClassVar[dict[str, Any]]
    invalid_credentials: ClassVar[list[dict[str, Any]]]

    def connection(self) -> ConnectionInfo:
        raise NotImplementedError

    def now(self) -> datetime:
        raise NotImplementedError

    def webhook_samples(self) -> list[WebhookSample]:
        raise NotImplementedError

    def forged_webhooks(self) -> list[WebhookSample]:
        raise NotImplementedError

    def malformed_webhooks(self) -> list[WebhookSample]:
        raise NotImplementedError

    # --- helpers -------------------------------------------------------------------

    @property
    def module(self) -> ChannelModule:
        return self.module_class()

    def _parse(self, sample: WebhookSample):
        headers = CaseInsensitiveDict(sample.headers)
        self.module.verify_webhook(self.connection(), sample.body, headers, self.now())
        return self.module.parse_webhook(self.connection(), sample.body, headers)

    # --- declaration -----------------------------------------------------------------

    def test_declaration_matches_implementation(self) -> None:
        problems = check_module(self.module_class)
        assert not problems, "the module's declaration and implementation disagree:\n- " + "\n- ".join(problems)

    def test_every_feature_is_declared_with_a_reason_when_unsupported(self) -> None:
        for feature, declaration in self.module_class.features.items():
            if not declaration.supported:
                assert declaration.reason.strip(), f"{feature.value}: NotSupported needs a reason"

    def test_status_maps_round_trip(self) -> None:
        from canonical.state_machine import flow_for  # the canonical flows; platform code, not module code

        for service_type in ServiceType:
            status_map = self.module.status_map(service_type)
            for status in status_map.all_outbound():
                if status not in flow_for(service_type).statuses:
                    continue
                try:
                    code = self.module.to_channel_status(status, service_type)
                except UnmappedStatus:
                    continue
                try:
                    back = self.module.to_canonical_status(code, service_type)
                except UnmappedStatus:
                    continue  # a code we post but the channel never reports back
                assert back == status, f"{service_type}: posting {status} sends {code!r}, read back as {back}"

    # --- credentials ---------------------------------------------------------------

    def test_credentials_schema_accepts_valid(self) -> None:
        for environment in ("sandbox", "production"):
            schema = self.module_class.credentials_schema(environment)
            credentials = schema.model_validate(self.valid_credentials)
            for secret in credentials.secret_values():
                assert secret not in repr(credentials), "a secret shows in the credentials' repr"

    def test_credentials_schema_rejects_invalid(self) -> None:
        assert self.invalid_credentials, "provide at least one invalid credentials example"
        schema = self.module_class.credentials_schema("sandbox")
        for example in self.invalid_credentials:
            with pytest.raises(ValidationError):
                schema.model_validate(example)

    # --- webhooks ----------------------------------------------------------------------

    def test_authentic_webhooks_verify_and_parse(self) -> None:
        samples = self.webhook_samples()
        assert samples, "provide webhook samples"
        for sample in samples:
            events = self._parse(sample)
            kinds = tuple(event.kind for event in events)
            assert kinds == sample.expected_kinds, f"{sample.name}: parsed {kinds}, expected {sample.expected_kinds}"
            for key, value in sample.expected.items():
                assert getattr(events[0], key) == value, f"{sample.name}: {key} is {getattr(events[0], key)!r}"
            for event in events:
                assert event.event_id, f"{sample.name}: an event without an id cannot be deduplicated"
                if event.order is not None:
                    self.assert_order_is_sound(event.order, sample.name)

    def test_samples_cover_the_declared_webhook_features(self) -> None:
        kinds = {event.kind for sample in self.webhook_samples() for event in self._parse(sample)}
        features = self.module_class.features
        if features.supports(Feature.WEBHOOK_NEW_ORDER):
            assert InboundEventKind.NEW_ORDER in kinds, "no sample produces a new order"
            options = features.options(Feature.WEBHOOK_NEW_ORDER)
            assert isinstance(options, WebhookNewOrderOptions)
            if options.reservations:
                assert InboundEventKind.NEW_RESERVATION in kinds, "reservations declared but no sample produces one"
        if features.supports(Feature.WEBHOOK_STATUS_CHANGED):
            assert InboundEventKind.STATUS_CHANGED in kinds, "no sample produces a status change"
            options = features.options(Feature.WEBHOOK_STATUS_CHANGED)
            assert isinstance(options, WebhookStatusOptions)

    def test_forged_webhooks_are_rejected_with_a_reason(self) -> None:
        forged = self.forged_webhooks()
        assert forged, "provide forged webhooks (bad signature, replay, missing header)"
        for sample in forged:
            with pytest.raises(WebhookRejected) as rejected:
                self.module.verify_webhook(
                    self.connection(), sample.body, CaseInsensitiveDict(sample.headers), self.now()
                )
            assert rejected.value.reason, f"{sample.name}: rejected without a reason"
            assert rejected.value.status_code in (401, 403)
            for secret in self.connection().credentials.secret_values():
                assert secret not in rejected.value.reason, f"{sample.name}: the reason echoes a secret"

    def test_tampered_bodies_are_rejected(self) -> None:
        if not self.module_class.webhook_signs_body:
            pytest.skip("the channel authenticates webhooks with a shared token; the body is not signed")
        for sample in self.webhook_samples():
            tampered = sample.body.replace(b"}", b" }", 1) if b"}" in sample.body else sample.body + b" "
            with pytest.raises(WebhookRejected):
                self.module.verify_webhook(
                    self.connection(), tampered, CaseInsensitiveDict(sample.headers), self.now()
                )

    sample_fields_checked: ClassVar[bool] = False
    """True when ``webhook_samples()`` are the channel's documented shapes (not shapes of our own): then every
    field of every sample must be read or declared in ``ignored_fields`` / ``known_gaps``, as for the corpus."""

    def test_webhook_samples_fields_are_read_or_ignored(self) -> None:
        if not self.sample_fields_checked:
            pytest.skip("the webhook samples are not the channel's documented shapes; the corpus is checked instead")
        for sample in self.webhook_samples():
            with reading() as log:
                self._parse(sample)
            account = account_for(json.loads(sample.body), log.paths, self.module_class.ignored_fields,
                                  self.module_class.known_gaps)
            assert not account.unaccounted, (f"{sample.name}: fields neither read nor declared ignored (read them, "
                                             "or add each to ignored_fields with the reason): "
                                             + ", ".join(account.unaccounted))
            assert not account.ignored_but_read, (f"{sample.name}: fields declared ignored that the module reads: "
                                                  + ", ".join(account.ignored_but_read))

    def test_malformed_webhooks_raise_malformed(self) -> None:
        samples = self.malformed_webhooks()
        assert samples, "provide malformed webhooks (authentic but unreadable: not JSON, a required field missing…)"
        for sample in samples:
            with pytest.raises(MalformedWebhook):
                self._parse(sample)

    def test_dedup_keys_are_stable_and_distinct(self) -> None:
        samples = self.webhook_samples()
        keys = []
        for sample in samples:
            headers = CaseInsensitiveDict(sample.headers)
            first = self.module.webhook_dedup_key(self.connection(), sample.body, headers)
            again = self.module.webhook_dedup_key(self.connection(), sample.body, headers)
            assert first and first == again, f"{sample.name}: dedup key is not stable"
            assert len(first) <= 200, f"{sample.name}: dedup key longer than 200 characters"
            keys.append(first)
        assert len(set(keys)) == len(keys), "two different samples share a dedup key"

    # --- canonical soundness ---------------------------------------------------------

    @staticmethod
    def assert_order_is_sound(order: CanonicalOrder, label: str) -> None:
        assert isinstance(order.amounts.total.amount, Decimal), f"{label}: total is not a Decimal"
        assert order.placed_at.tzinfo is not None, f"{label}: placed_at is naive"
        if order.status is not None:
            assert isinstance(order.status, OrderStatus)
        if order.lines:
            # The channel's total = lines (options inside their parents) + fees − discount (+ VAT added on top).
            unaccounted = order.unaccounted()
            amounts = order.amounts
            on_top = amounts.vat if amounts.prices_include_vat is False else None
            assert unaccounted is not None, (
                f"{label}: VAT is added on top of the prices but its amount is unknown, so the total cannot be checked"
            )
            assert abs(unaccounted) <= Decimal("0.01") * (1 + len(order.lines)), (
                f"{label}: total {amounts.total} is {unaccounted} away from lines {order.lines_total()} "
                f"+ fees {amounts.fees_total()} ({', '.join(f'{f.name} {f.amount.amount}' for f in amounts.fees())}) "
                f"− discount {amounts.discount.amount if amounts.discount else 0}"
                f"{f' + VAT {on_top.amount} on top' if on_top else ''}"
            )
