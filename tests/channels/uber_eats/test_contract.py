"""The Uber Eats module runs the contract kit with webhooks and orders in Uber's documented shapes."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import pytest
from pydantic import SecretStr
from requests.structures import CaseInsensitiveDict

from canonical import (
    Availability,
    CalendarException,
    InboundEventKind,
    ItemKind,
    ItemUpdate,
    OrderRef,
    OrderStatus,
    PauseRequest,
    RefusalReason,
    ServiceType,
    StatusUpdate,
    WeeklyRange,
)
from integrations.channels.context import ConnectionInfo
from integrations.channels.corpus import CorpusCase, corpus_directory, load_corpus
from integrations.channels.errors import WebhookRejected
from integrations.channels.recording import CannedResponse
from integrations.channels.testkit import ChannelModuleContract, WebhookSample
from integrations.channels.uber_eats.module import Module, UberEatsCredentials
from integrations.channels.uber_eats.translate import order_to_canonical
from integrations.http import PermanentChannelError

from . import samples as s

CORPUS_SECRET = "sinqro-corpus-test-client-secret"
"""The test client secret the corpus' webhooks are signed with (corpus/README.md)."""
CORPUS_STORE = "c0ffee00-5a1e-4b0b-9c1a-5e0000000001"
ORDER_FA101 = OrderRef(channel_order_id="7b1e2f30-4c5d-4e6f-8a9b-0c1d2e3fa101", service_type=ServiceType.DELIVERY,
                       display_code="FA101", our_reference="SQ-20260116-0001")
ORDER_FB102 = OrderRef(channel_order_id="7b1e2f30-4c5d-4e6f-8a9b-0c1d2e3fb102", service_type=ServiceType.DELIVERY,
                       display_code="FB102")


def signed(name: str, body: bytes, kinds: tuple, **expected) -> WebhookSample:
    return WebhookSample(name, body, s.sign(body), kinds, expected)


def _without_event_time(body: bytes) -> bytes:
    data = json.loads(body)
    del data["event_time"]
    return json.dumps(data).encode()


def test_a_signed_body_without_event_time_is_rejected_as_unprovable_freshness():
    # Authentic (signed with the right secret) yet undated: nothing shows it is not an old event replayed.
    body = _without_event_time(s.event("orders.notification", "ev-10", "ord-1"))

    with pytest.raises(WebhookRejected, match="event_time is missing from the signed body") as rejected:
        Module().verify_webhook(connection(), body, CaseInsensitiveDict(s.sign(body)), s.SENT_AT)

    assert rejected.value.status_code == 401


def connection() -> ConnectionInfo:
    return ConnectionInfo(
        connection_id=1, store_id=s.STORE_ID, environment="sandbox", base_url="http://127.0.0.1:9",
        credentials=UberEatsCredentials(client_id=s.CLIENT_ID, client_secret=SecretStr(s.CLIENT_SECRET)),
    )

# Cases the module cannot pass for a reason outside it (strict xfails: each must keep failing until its fix).
CORPUS_DEFECTS: dict[tuple[str, str], str] = {}


class TestUberEatsContract(ChannelModuleContract):
    module_class = Module
    corpus_defects = CORPUS_DEFECTS
    outbound_without_example = {
        "publish_catalog": "PUT /v2/eats/stores/{store_id}/menus: the reference page (references/api/v2/"
                           "put-eats-stores-storeid-menus: field tables, required fields, response) is not in the "
                           "stored copies; the Example Menu Payloads page shows bodies without field meanings "
                           "(uber_eats.md §4, 26)",
    }
    valid_credentials = {"client_id": s.CLIENT_ID, "client_secret": s.CLIENT_SECRET}
    invalid_credentials = [
        {"client_id": s.CLIENT_ID},
        {"client_secret": s.CLIENT_SECRET},
        {"client_id": s.CLIENT_ID, "client_secret": s.CLIENT_SECRET, "api_key": "x"},
    ]

    def connection(self) -> ConnectionInfo:
        return connection()

    # --- the corpus (integrations/channels/uber_eats/corpus) ---------------------------

    def corpus_connection(self) -> ConnectionInfo:
        return ConnectionInfo(
            connection_id=1, store_id=CORPUS_STORE, environment="production", base_url="", currency="USD",
            credentials=UberEatsCredentials(client_id="sinqro-corpus-client", client_secret=SecretStr(CORPUS_SECRET)),
        )

    def corpus_now(self, case: CorpusCase) -> datetime:
        webhook = (case.fixture.get("trigger") or {}).get("payload") or case.payload
        return datetime.fromtimestamp(webhook["event_time"], UTC) + timedelta(seconds=2)

    def outbound_calls(self):
        return {
            "request_accept_pos_order": lambda client: client.set_order_status(ORDER_FA101, StatusUpdate(
                status=OrderStatus.ACCEPTED, reason="Accepted by Sinqro", prep_minutes=20,
                occurred_at=datetime(2026, 1, 17, 0, 5, tzinfo=UTC))),
            "request_deny_pos_order": lambda client: client.set_order_status(ORDER_FA101, StatusUpdate(
                status=OrderStatus.REJECTED, reason="Out of bacon", reason_code=RefusalReason.ITEMS_UNAVAILABLE,
                unavailable_items=("bacon",))),
            "request_cancel": lambda client: client.set_order_status(ORDER_FA101, StatusUpdate(
                status=OrderStatus.CANCELLED, reason="Oven failure")),
            "request_restaurant_delivery_status": lambda client: client.set_order_status(ORDER_FB102, StatusUpdate(
                status=OrderStatus.DELIVERED)),
            "request_store_pause": lambda client: client.pause(PauseRequest(
                until=datetime(2026, 1, 17, 2, 0, tzinfo=UTC), reason="Kitchen closed early")),
            "request_store_resume": lambda client: client.resume(),
            "request_update_item_price": lambda client: client.update_catalog_items([ItemUpdate(
                kind=ItemKind.PRODUCT, sku="PIZ-MARG", price=Decimal("12.50"))]),
            "request_update_item_suspend": lambda client: client.update_catalog_items([ItemUpdate(
                kind=ItemKind.OPTION, sku="OPT-BACON", available=False,
                snoozed_until=datetime(2026, 1, 17, 3, 0, tzinfo=UTC))]),
            "request_update_item_back_in_stock": lambda client: client.update_catalog_items([ItemUpdate(
                kind=ItemKind.OPTION, sku="OPT-BACON", available=True)]),
            "request_holiday_hours": lambda client: client.set_opening_hours(Availability(
                timezone="America/New_York",
                weekly=(WeeklyRange(start_day=0, end_day=6, start_time=time(11), end_time=time(22)),),
                exceptions=(CalendarException(starts_at=datetime(2026, 12, 24, 20, tzinfo=UTC),
                                              expires_at=datetime(2026, 12, 26, 5, tzinfo=UTC)),
                            CalendarException(starts_at=datetime(2026, 12, 31, 15, tzinfo=UTC),
                                              expires_at=datetime(2026, 12, 31, 23, tzinfo=UTC), closed=False)))),
        }

    def outbound_response(self, case: CorpusCase) -> CannedResponse:
        if case.name == "request_restaurant_delivery_status":
            # The client reads the order's type first (Uber's own couriers report themselves): this is FB102.
            own_courier = next(c for c in load_corpus(corpus_directory(Module)) if c.name == "get_order_own_courier")
            return CannedResponse(200, own_courier.payload)
        return super().outbound_response(case)

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
            signed("release the accepted order to the kitchen", s.event("orders.release", "ev-5", "ord-1"),
                   (InboundEventKind.STATUS_CHANGED,), status=None, channel_status="orders.release"),
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
            WebhookSample("signed, but without event_time", _without_event_time(body),
                          s.sign(_without_event_time(body))),
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
    assert (crust.sku, crust.group, crust.unit_price.amount) == ("OPT-STUFFED", "Crust", Decimal("2.00"))
    assert crust.options[0].sku == "OPT-BASIL" and crust.options[0].unit_price.amount == Decimal("0.50")
    assert pizza.gross_total() == Decimal("28.00")
    assert order.amounts.total.amount == Decimal("33.40") and order.amounts.vat.amount == Decimal("2.90")
    assert order.amounts.prices_include_vat is False
    assert order.status == OrderStatus.RECEIVED and order.channel_status == "CREATED"
    assert order.placed_at.utcoffset() == timedelta(0) and order.placed_at.hour == 11
    assert order.delivery.courier_status == "EN_ROUTE_TO_PICKUP"


def test_a_pickup_order_is_a_collection_whose_finish_is_picked_up():
    order = order_to_canonical(s.order(type="PICK_UP", current_state="FINISHED", deliveries=[]))

    assert order.service_type == ServiceType.COLLECTION
    assert order.status == OrderStatus.PICKED_UP
    assert order.delivery is None


def test_a_cancelled_order_reads_back_cancelled():
    assert order_to_canonical(s.order(current_state="CANCELED")).status == OrderStatus.CANCELLED


def test_an_order_of_an_undocumented_type_is_refused_not_taken_for_a_delivery():
    with pytest.raises(PermanentChannelError, match="unknown type"):
        order_to_canonical(s.order(type="DRONE"))


def test_webhooks_signed_with_the_previous_secret_verify_during_rotation():
    body = s.event("orders.notification", "ev-1", "ord-1")
    rotated = ConnectionInfo(
        connection_id=1, store_id=s.STORE_ID, environment="sandbox", base_url="",
        credentials=UberEatsCredentials(client_id=s.CLIENT_ID, client_secret=SecretStr("new-secret-value"),
                                        previous_client_secret=SecretStr(s.CLIENT_SECRET)),
    )

    Module().verify_webhook(rotated, body, CaseInsensitiveDict(s.sign(body)), s.SENT_AT)
