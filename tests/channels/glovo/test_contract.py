"""The Glovo module runs the contract kit with notifications in Glovo's shapes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from pydantic import SecretStr

from canonical import InboundEventKind, OrderStatus, PaymentMethod, ServiceType
from integrations.channels.context import ConnectionInfo
from integrations.channels.glovo.module import GlovoCredentials, Module
from integrations.channels.glovo.translate import order_to_canonical
from integrations.channels.testkit import ChannelModuleContract, WebhookSample

from . import samples as s


def sample(name: str, body: bytes, kinds: tuple, **expected) -> WebhookSample:
    return WebhookSample(name, body, s.headers(), kinds, expected)


class TestGlovoContract(ChannelModuleContract):
    module_class = Module
    valid_credentials = {"api_token": s.API_TOKEN, "webhook_token": s.WEBHOOK_TOKEN}
    invalid_credentials = [
        {"api_token": s.API_TOKEN},
        {"webhook_token": s.WEBHOOK_TOKEN},
        {"api_token": s.API_TOKEN, "webhook_token": s.WEBHOOK_TOKEN, "client_id": "x"},
    ]

    def connection(self) -> ConnectionInfo:
        return ConnectionInfo(
            connection_id=2, store_id=s.STORE_ID, environment="sandbox", base_url="http://127.0.0.1:9",
            credentials=GlovoCredentials(api_token=SecretStr(s.API_TOKEN), webhook_token=SecretStr(s.WEBHOOK_TOKEN)),
        )

    def now(self) -> datetime:
        return s.NOW

    def webhook_samples(self) -> list[WebhookSample]:
        return [
            sample("new delivery order with attributes", s.body(s.order()), (InboundEventKind.NEW_ORDER,),
                   channel_order_id="100000001"),
            sample("new pickup order", s.body(s.order("100000002", is_picked_up_by_customer=True, courier=None)),
                   (InboundEventKind.NEW_ORDER,), channel_order_id="100000002"),
            sample("new scheduled order", s.body(s.order("100000003", estimated_pickup_time="2026-11-27 21:00:00")),
                   (InboundEventKind.NEW_ORDER,)),
            sample("new own-delivery order", s.body(s.order("100000004", delivery_fee=299, delivery_address={
                "label": "Carrer de Pallars 190, 3B", "latitude": 41.4036, "longitude": 2.1926})),
                (InboundEventKind.NEW_ORDER,)),
            sample("cancellation", s.cancellation(), (InboundEventKind.STATUS_CHANGED,),
                   status=OrderStatus.CANCELLED, channel_status="CANCELLED"),
            sample("something else", s.body({"order_id": "100000001", "store_id": s.STORE_ID}),
                   (InboundEventKind.UNKNOWN,)),
        ]

    def forged_webhooks(self) -> list[WebhookSample]:
        body = s.body(s.order())
        return [
            WebhookSample("wrong token", body, s.headers("not-the-token")),
            WebhookSample("no Authorization header", body, s.headers(None)),
            WebhookSample("the API token instead of the webhook token", body, s.headers(s.API_TOKEN)),
        ]

    def malformed_webhooks(self) -> list[WebhookSample]:
        return [
            WebhookSample("not json", b"<html>", s.headers()),
            WebhookSample("order without order_time", s.body({**s.order(), "order_time": None}), s.headers()),
            WebhookSample("price not in cents", s.body(s.order(products=[
                {"id": "X", "quantity": 1, "price": 11.5, "name": "X", "attributes": []}])), s.headers()),
        ]


def test_cents_and_local_times_become_decimals_and_utc_instants():
    order = order_to_canonical(s.order())

    assert order.placed_at == datetime(2026, 11, 27, 11, 58, 30, tzinfo=UTC)
    assert order.delivery.pickup_eta == datetime(2026, 11, 27, 12, 20, tzinfo=UTC)
    assert order.scheduled_for is None
    assert order.lines[0].unit_price.amount == Decimal("11.50")
    assert order.lines[0].options[0].unit_price.amount == Decimal("1.50")
    assert order.amounts.total.amount == Decimal("28.50")
    assert order.service_type == ServiceType.DELIVERY and not order.delivery.by_restaurant
    assert order.payments[0].method == PaymentMethod.ONLINE and order.payments[0].prepaid
    assert order.notes == "No onion / Nuts"


def test_a_negative_offset_moves_the_instant_forward():
    order = order_to_canonical(s.order(order_time="2026-11-27 07:00:00", utc_offset_minutes=-300))

    assert order.placed_at == datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def test_pickup_scheduled_and_own_delivery_orders():
    pickup = order_to_canonical(s.order(is_picked_up_by_customer=True, courier=None, payment_method="CASH"))
    scheduled = order_to_canonical(s.order(estimated_pickup_time="2026-11-27 21:00:00"))
    own = order_to_canonical(s.order(delivery_fee=299, partner_discounts_products=100,
                                     delivery_address={"label": "Pallars 190", "latitude": 41.4, "longitude": 2.19}))

    assert pickup.service_type == ServiceType.COLLECTION and pickup.delivery is None
    assert pickup.payments[0].method == PaymentMethod.CASH and not pickup.payments[0].prepaid
    assert scheduled.scheduled_for == datetime(2026, 11, 27, 20, 0, tzinfo=UTC)
    assert own.delivery.by_restaurant and own.delivery_address.street == "Pallars 190"
    assert own.amounts.total.amount == Decimal("28.50") + Decimal("2.99") - Decimal("1.00")
    assert s.NOW - timedelta(days=1) < own.placed_at < s.NOW


def test_posted_statuses_use_glovos_vocabulary_per_service_type():
    module = Module()

    assert module.to_channel_status(OrderStatus.READY, ServiceType.DELIVERY) == "READY_FOR_PICKUP"
    assert module.to_channel_status(OrderStatus.PICKED_UP, ServiceType.DELIVERY) == "OUT_FOR_DELIVERY"
    assert module.to_channel_status(OrderStatus.PICKED_UP, ServiceType.COLLECTION) == "PICKED_UP_BY_CUSTOMER"
