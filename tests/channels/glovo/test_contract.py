"""The Glovo module runs the contract kit with notifications in Glovo's shapes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from pydantic import SecretStr

from canonical import (
    CanonicalCatalog,
    CatalogProduct,
    InboundEventKind,
    ItemKind,
    ItemUpdate,
    OrderRef,
    OrderStatus,
    PauseRequest,
    PaymentMethod,
    ServiceType,
    StatusUpdate,
)
from integrations.channels.context import ConnectionInfo
from integrations.channels.corpus import CorpusCase
from integrations.channels.glovo.module import GlovoCredentials, Module
from integrations.channels.glovo.translate import order_to_canonical
from integrations.channels.recording import CannedResponse
from integrations.channels.testkit import ChannelModuleContract, WebhookSample

from . import samples as s


def sample(name: str, body: bytes, kinds: tuple, **expected) -> WebhookSample:
    return WebhookSample(name, body, s.headers(), kinds, expected)


CORPUS_STORE = "sinqro-bcn-001"
ORDER_301 = OrderRef(channel_order_id="100200301", service_type=ServiceType.DELIVERY)
PICKUP_301 = OrderRef(channel_order_id="100200301", service_type=ServiceType.COLLECTION)

# Defects of today's module that the corpus shows (docs/channels/glovo.md §4 numbers them): each makes its case
# fail, strictly; the fix makes it pass and must remove the line.
CORPUS_DEFECTS: dict[tuple[str, str], str] = {}
MENU = CanonicalCatalog(currency="EUR", products=(CatalogProduct(sku="pizza-margherita", name="Margherita pizza",
                                                                 price=Decimal("14.00")),))


class TestGlovoContract(ChannelModuleContract):
    module_class = Module
    corpus_defects = CORPUS_DEFECTS
    outbound_without_example: dict[str, str] = {}
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

    # --- the corpus (integrations/channels/glovo/corpus) ---------------------------------

    def corpus_connection(self) -> ConnectionInfo:
        return ConnectionInfo(
            connection_id=2, store_id=CORPUS_STORE, environment="production", base_url="",
            credentials=GlovoCredentials(api_token=SecretStr(s.API_TOKEN), webhook_token=SecretStr(s.WEBHOOK_TOKEN)),
        )

    def corpus_headers(self, case: CorpusCase) -> dict[str, str]:
        # How Glovo presents the shared token is not in the stored docs (glovo.md §4.18): the module's reading.
        return {**case.headers, "Authorization": s.WEBHOOK_TOKEN}

    def corpus_now(self, case: CorpusCase) -> datetime:
        return datetime(2026, 1, 16, 23, 0, tzinfo=UTC)

    def outbound_calls(self):
        def status(order: OrderRef, to: OrderStatus):
            return lambda client: client.set_order_status(order, StatusUpdate(status=to))
        return {
            "request_status_accepted": status(ORDER_301, OrderStatus.ACCEPTED),
            "request_status_ready_for_pickup": status(ORDER_301, OrderStatus.READY),
            "request_status_out_for_delivery": status(ORDER_301, OrderStatus.PICKED_UP),
            "request_status_picked_up_by_customer": status(PICKUP_301, OrderStatus.PICKED_UP),
            "request_close_temporarily": lambda client: client.pause(PauseRequest(
                until=datetime(2026, 1, 16, 22, 30, tzinfo=UTC))),
            "request_menu_upload": lambda client: client.publish_catalog(MENU),
            "request_menu_upload_status": lambda client: client.get_publish_result("tx-sinqro-0001"),
            "request_modify_product": lambda client: client.update_catalog_items([ItemUpdate(
                kind=ItemKind.PRODUCT, sku="pizza-margherita", price=Decimal("14.50"), available=True)]),
            "request_modify_attribute": lambda client: client.update_catalog_items([ItemUpdate(
                kind=ItemKind.OPTION, sku="extra-mozzarella", price=Decimal("1.50"), available=False)]),
            "request_remove_closing": lambda client: client.resume(),
        }

    def outbound_response(self, case: CorpusCase) -> CannedResponse:
        if case.name == "request_menu_upload":  # docs/TransactionId.md
            return CannedResponse(200, {"transaction_id": "tx-sinqro-0001"})
        return super().outbound_response(case)

    def webhook_samples(self) -> list[WebhookSample]:
        return [
            sample("new delivery order with attributes", s.body(s.order()), (InboundEventKind.NEW_ORDER,),
                   channel_order_id="100000001"),
            sample("new pickup order", s.body(s.order("100000002", is_picked_up_by_customer=True, courier=None)),
                   (InboundEventKind.NEW_ORDER,), channel_order_id="100000002"),
            sample("new scheduled order", s.body(s.order("100000003", estimated_pickup_time="2026-11-27 21:00:00")),
                   (InboundEventKind.NEW_ORDER,)),
            sample("new own-delivery order", s.body(s.order("100000004", delivery_fee=299, total_customer_to_pay=3149,
                                                             delivery_address={"label": "Carrer de Pallars 190, 3B",
                                                                               "latitude": 41.4036,
                                                                               "longitude": 2.1926})),
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
            WebhookSample("offset not a number of minutes", s.body({**s.order(), "utc_offset_minutes": "one hour"}),
                          s.headers()),
            WebhookSample("order without a currency", s.body({**s.order(), "currency": None}), s.headers()),
            WebhookSample("price not in cents", s.body(s.order(products=[
                {"id": "X", "quantity": 1, "price": 11.5, "name": "X", "attributes": []}])), s.headers()),
        ]


def test_cents_and_local_times_become_decimals_and_utc_instants():
    order = order_to_canonical(s.order())

    assert order.placed_at == datetime(2026, 11, 27, 11, 58, 30, tzinfo=UTC)
    assert order.estimates.pickup_at == datetime(2026, 11, 27, 12, 20, tzinfo=UTC)
    assert order.delivery.pickup_eta == order.estimates.pickup_at
    assert order.lines[0].unit_price.amount == Decimal("11.50")
    assert order.lines[0].options[0].unit_price.amount == Decimal("1.50")
    assert order.amounts.total.amount == Decimal("28.50")
    assert order.service_type == ServiceType.DELIVERY and not order.delivery.by_restaurant
    assert order.payments[0].method == PaymentMethod.ONLINE and order.payments[0].prepaid
    assert (order.notes, order.allergy_notes) == ("No onion", "Nuts")


def test_a_negative_offset_moves_the_instant_forward():
    order = order_to_canonical(s.order(order_time="2026-11-27 07:00:00", utc_offset_minutes=-300))

    assert order.placed_at == datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def test_pickup_late_pickup_and_own_delivery_orders():
    pickup = order_to_canonical(s.order(is_picked_up_by_customer=True, courier=None, payment_method="CASH"))
    late = order_to_canonical(s.order(estimated_pickup_time="2026-11-27 21:00:00"))
    own = order_to_canonical(s.order(delivery_fee=299, partner_discounts_products=100,
                                     partner_discounted_products_total=2750, total_customer_to_pay=3049,
                                     delivery_address={"label": "Pallars 190", "latitude": 41.4, "longitude": 2.19}))

    assert pickup.service_type == ServiceType.COLLECTION and pickup.delivery is None
    assert pickup.payments[0].method == PaymentMethod.CASH and not pickup.payments[0].prepaid
    assert late.scheduled_for is None and late.estimates.pickup_at == datetime(2026, 11, 27, 20, 0, tzinfo=UTC)
    assert own.delivery.by_restaurant and own.delivery_address.street == "Pallars 190"
    assert own.amounts.total.amount == Decimal("30.49") == Decimal("28.50") + Decimal("2.99") - Decimal("1.00")
    assert s.NOW - timedelta(days=1) < own.placed_at < s.NOW


def test_an_own_delivery_order_without_its_customer_total_adds_up_what_glovo_sent():
    own = order_to_canonical(s.order(delivery_fee=299, minimum_basket_surcharge=100, delivery_address={
        "label": "Pallars 190", "latitude": 41.4, "longitude": 2.19}))

    assert own.amounts.total.amount == Decimal("28.50") + Decimal("2.99") + Decimal("1.00")
    assert own.unaccounted() == 0


def test_posted_statuses_use_glovos_vocabulary_per_service_type():
    module = Module()

    assert module.to_channel_status(OrderStatus.READY, ServiceType.DELIVERY) == "READY_FOR_PICKUP"
    assert module.to_channel_status(OrderStatus.PICKED_UP, ServiceType.DELIVERY) == "OUT_FOR_DELIVERY"
    assert module.to_channel_status(OrderStatus.PICKED_UP, ServiceType.COLLECTION) == "PICKED_UP_BY_CUSTOMER"
