"""The Sandbox Market module runs the contract kit with payloads in the market's shapes."""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import SecretStr

from canonical import InboundEventKind, OrderStatus
from integrations.channels.context import ConnectionInfo
from integrations.channels.sandbox_market.module import Module, SandboxMarketCredentials
from integrations.channels.testkit import ChannelModuleContract, WebhookSample

from . import sandbox_market_samples as s


def signed(name: str, body: bytes, event_id: str, kinds: tuple, **expected) -> WebhookSample:
    return WebhookSample(name, body, s.sign(body, event_id=event_id), kinds, expected)


class TestSandboxMarketContract(ChannelModuleContract):
    module_class = Module
    sample_fields_checked = True  # the samples are the market's own shapes (channel_simulators/sandbox_market)
    valid_credentials = {"api_key": s.API_KEY, "webhook_secret": s.WEBHOOK_SECRET}
    invalid_credentials = [
        {"api_key": s.API_KEY},
        {"webhook_secret": s.WEBHOOK_SECRET},
        {"api_key": s.API_KEY, "webhook_secret": s.WEBHOOK_SECRET, "unexpected": "x"},
    ]

    def connection(self) -> ConnectionInfo:
        return ConnectionInfo(
            connection_id=1,
            store_id="casa-lucia",
            environment="sandbox",
            base_url="http://127.0.0.1:9",
            credentials=SandboxMarketCredentials(
                api_key=SecretStr(s.API_KEY), webhook_secret=SecretStr(s.WEBHOOK_SECRET)
            ),
        )

    def now(self) -> datetime:
        return s.SIGNED_AT + timedelta(seconds=3)

    def webhook_samples(self) -> list[WebhookSample]:
        return [
            signed("new delivery order", s.event("ticket.created", "ev-1", "SM-000042", ticket=s.ticket()), "ev-1",
                   (InboundEventKind.NEW_ORDER,), channel_order_id="SM-000042"),
            signed("new booking", s.event("booking.created", "ev-2", "SM-000043", ticket=s.booking()), "ev-2",
                   (InboundEventKind.NEW_RESERVATION,), channel_order_id="SM-000043"),
            signed("thin new order", s.event("ticket.created", "ev-3", "SM-000044"), "ev-3",
                   (InboundEventKind.NEW_ORDER,), order=None),
            signed("status changed", s.event("ticket.state_changed", "ev-4", "SM-000042", state="VOIDED",
                                             previous_state="NEW"), "ev-4",
                   (InboundEventKind.STATUS_CHANGED,), status=OrderStatus.CANCELLED, channel_status="VOIDED"),
            signed("booking no-show", s.event("ticket.state_changed", "ev-5", "SM-000043", state="NO_SHOW",
                                              previous_state="BOOKED"), "ev-5",
                   (InboundEventKind.STATUS_CHANGED,), status=OrderStatus.NO_SHOW),
            signed("unknown event", s.event("store.audited", "ev-6", ""), "ev-6", (InboundEventKind.UNKNOWN,)),
        ]

    def forged_webhooks(self) -> list[WebhookSample]:
        body = s.event("ticket.created", "ev-9", "SM-000042", ticket=s.ticket())
        wrong_secret = s.sign(body, secret="not-the-secret")
        replayed = s.sign(body, at=s.SIGNED_AT - timedelta(hours=1))
        from_the_future = s.sign(body, at=s.SIGNED_AT + timedelta(hours=1))
        unsigned = {"Content-Type": "application/json", "X-Market-Timestamp": str(int(s.SIGNED_AT.timestamp()))}
        no_timestamp = {k: v for k, v in s.sign(body).items() if k != "X-Market-Timestamp"}
        return [
            WebhookSample("wrong secret", body, wrong_secret),
            WebhookSample("replayed an hour later", body, replayed),
            WebhookSample("signed for an hour from now", body, from_the_future),
            WebhookSample("no signature", body, unsigned),
            WebhookSample("no timestamp", body, no_timestamp),
        ]

    def malformed_webhooks(self) -> list[WebhookSample]:
        not_json = b"<xml/>"
        no_state = s.event("ticket.state_changed", "ev-7", "SM-1")
        unmapped = s.event("ticket.state_changed", "ev-8", "SM-1", state="TELEPORTED")
        return [
            WebhookSample("not json", not_json, s.sign(not_json)),
            WebhookSample("state change without state", no_state, s.sign(no_state)),
            WebhookSample("unmapped state", unmapped, s.sign(unmapped)),
        ]


def test_a_delivery_ticket_translates_to_exact_canonical_amounts():
    from decimal import Decimal

    from integrations.channels.sandbox_market.translate import ticket_to_order

    order = ticket_to_order(s.ticket())

    assert order.amounts.total.amount == Decimal("32.00")
    assert order.amounts.vat.amount == Decimal("2.80")
    assert order.amounts.subtotal.amount == Decimal("25.70")
    assert order.lines[0].options[0].unit_price.amount == Decimal("1.50")
    assert order.lines[0].gross_total() == Decimal("26.00")
    assert order.status == OrderStatus.RECEIVED and order.channel_status == "NEW"
    assert order.delivery_address.lat == Decimal("40.4168")
    assert order.placed_at.utcoffset() == timedelta(0)


def test_rotated_webhook_secret_still_verifies_during_rotation():
    body = s.event("ticket.created", "ev-1", "SM-1", ticket=s.ticket("SM-1"))
    old_signature = s.sign(body, secret="old-secret-value")
    connection = ConnectionInfo(
        connection_id=1, store_id="casa-lucia", environment="sandbox", base_url="",
        credentials=SandboxMarketCredentials(api_key=SecretStr("k" * 8), webhook_secret=SecretStr("new-secret-value"),
                                             previous_webhook_secret=SecretStr("old-secret-value")),
    )
    from requests.structures import CaseInsensitiveDict

    Module().verify_webhook(connection, body, CaseInsensitiveDict(old_signature), s.SIGNED_AT)
