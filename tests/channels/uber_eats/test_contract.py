"""The Uber Eats module runs the contract kit with webhooks and orders in Uber's documented shapes."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from pydantic import SecretStr
from requests.structures import CaseInsensitiveDict

from canonical import InboundEventKind, OrderStatus, ServiceType
from integrations.channels.context import ConnectionInfo
from integrations.channels.testkit import ChannelModuleContract, WebhookSample
from integrations.channels.uber_eats.module import Module, UberEatsCredentials
from integrations.channels.uber_eats.translate import order_to_canonical

from . import samples as s


def signed(name: str, body: bytes, kinds: tuple, **expected) -> WebhookSample:
    return WebhookSample(name, body, s.sign(body), kinds, expected)


def connection() -> ConnectionInfo:
    return ConnectionInfo(
        connection_id=1, store_id=s.STORE_ID, environment="sandbox", base_url="http://127.0.0.1:9",
        credentials=UberEatsCredentials(client_id=s.CLIENT_ID, client_secret=SecretStr(s.CLIENT_SECRET)),
    )


class TestUberEatsContract(ChannelModuleContract):
    module_class = Module
    valid_credentials = {"client_id": s.CLIENT_ID, "client_secret": s.CLIENT_SECRET}
    invalid_credentials = [
        {"client_id": s.CLIENT_ID},
        {"client_secret": s.CLIENT_SECRET},
        {"client_id": s.CLIENT_ID, "client_secret": s.CLIENT_SECRET, "api_key": "x"},
    ]

    def connection(self) -> ConnectionInfo:
        return connection()

    def now(self):
        return s.SENT_AT + timedelta(seconds=4)

    def webhook_samples(self) -> list[WebhookSample]:
        return [
            signed("new order (thin)", s.event("orders.notification", "ev-1", "ord-1"),
                   (InboundEventKind.NEW_ORDER,), channel_order_id="ord-1", order=None),
            signed("new scheduled order (thin)", s.event("orders.scheduled.notification", "ev-2", "ord-2"),
                   (InboundEventKind.NEW_ORDER,), channel_order_id="ord-2"),
            signed("cancellation", s.event("orders.cancel", "ev-3", "ord-1"),
                   (InboundEventKind.STATUS_CHANGED,), status=OrderStatus.CANCELLED, channel_status="CANCELED"),
            signed("cancellation (API 1.0.0)", s.event("orders.failure", "ev-4", "ord-3"),
                   (InboundEventKind.STATUS_CHANGED,), status=OrderStatus.CANCELLED),
            signed("courier reached the geofence", s.event("orders.release", "ev-5", "ord-1"),
                   (InboundEventKind.STATUS_CHANGED,), status=None, channel_status="RELEASED"),
            signed("menu refresh request", s.event("store.menu_refresh_request", "ev-6", ""),
                   (InboundEventKind.UNKNOWN,)),
        ]

    def forged_webhooks(self) -> list[WebhookSample]:
        body = s.event("orders.notification", "ev-9", "ord-1")
        replayed = s.event("orders.notification", "ev-9", "ord-1", at=s.SENT_AT - timedelta(hours=1))
        return [
            WebhookSample("signed with another secret", body, s.sign(body, "not-the-secret")),
            WebhookSample("no signature header", body, {"Content-Type": "application/json"}),
            WebhookSample("empty signature", body, {"X-Uber-Signature": ""}),
            WebhookSample("replayed an hour later", replayed, s.sign(replayed)),
        ]

    def malformed_webhooks(self) -> list[WebhookSample]:
        not_json = b"not json"
        no_event_id = b'{"event_type": "orders.notification", "event_time": %d}' % int(s.SENT_AT.timestamp())
        no_order = s.event("orders.notification", "ev-7", "")
        return [WebhookSample("not json", not_json, s.sign(not_json)),
                WebhookSample("no event_id", no_event_id, s.sign(no_event_id)),
                WebhookSample("new order without resource_id", no_order, s.sign(no_order))]


def test_an_order_with_nested_modifiers_translates_to_exact_amounts():
    order = order_to_canonical(s.order())

    ChannelModuleContract.assert_order_is_sound(order, "uber order")
    pizza = order.lines[0]
    assert (pizza.sku, pizza.quantity, pizza.unit_price.amount) == ("PIZ-MARG", 2, Decimal("11.50"))
    crust = pizza.options[0]
    assert (crust.sku, crust.unit_price.amount) == ("OPT-STUFFED", Decimal("2.00"))
    assert crust.options[0].sku == "OPT-BASIL" and crust.options[0].unit_price.amount == Decimal("0.50")
    assert pizza.gross_total() == Decimal("28.00")
    assert order.amounts.total.amount == Decimal("32.99")
    assert order.amounts.discount.amount == Decimal("1.50") and order.amounts.tip.amount == Decimal("1.00")
    assert order.status == OrderStatus.RECEIVED and order.channel_status == "CREATED"
    assert order.placed_at.utcoffset() == timedelta(0)
    assert order.delivery.courier_status == "EN_ROUTE_TO_PICKUP"
    assert order.payments[0].prepaid


def test_a_pickup_order_is_a_collection_whose_finish_is_picked_up():
    order = order_to_canonical(s.order(order_type="PICK_UP", current_state="FINISHED", deliveries=[]))

    assert order.service_type == ServiceType.COLLECTION
    assert order.status == OrderStatus.PICKED_UP
    assert order.delivery is None


def test_a_scheduled_order_carries_its_target_time():
    window = {"start_time": "2026-11-27T20:30:00Z", "end_time": "2026-11-27T20:45:00Z"}
    order = order_to_canonical(s.order(scheduled_order_target_delivery_time_range=window))

    assert order.scheduled_for.isoformat() == "2026-11-27T20:30:00+00:00"


def test_a_cancelled_order_reads_back_cancelled():
    assert order_to_canonical(s.order(current_state="CANCELED")).status == OrderStatus.CANCELLED


def test_webhooks_signed_with_the_previous_secret_verify_during_rotation():
    body = s.event("orders.notification", "ev-1", "ord-1")
    rotated = ConnectionInfo(
        connection_id=1, store_id=s.STORE_ID, environment="sandbox", base_url="",
        credentials=UberEatsCredentials(client_id=s.CLIENT_ID, client_secret=SecretStr("new-secret-value"),
                                        previous_client_secret=SecretStr(s.CLIENT_SECRET)),
    )

    Module().verify_webhook(rotated, body, CaseInsensitiveDict(s.sign(body)), s.SENT_AT)
