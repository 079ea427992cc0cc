"""The Sandbox Market module against the Sandbox Market running as its own process, over real HTTP."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import pytest

from canonical import (
    Availability,
    CalendarException,
    CanonicalCatalog,
    CatalogMenu,
    CatalogOption,
    CatalogOptionCategory,
    CatalogProduct,
    CatalogSection,
    CatalogVariant,
    DriverPosition,
    ItemKind,
    ItemUpdate,
    OrderRef,
    OrderStatus,
    PauseRequest,
    PublishState,
    ServiceType,
    StatusUpdate,
    WeeklyRange,
)
from integrations.connections import client_for
from integrations.http import PermanentChannelError, RetryableChannelError
from integrations.models import ChannelCall
from tests.factories.integrations import ChannelFactory, ConnectionFactory

pytestmark = pytest.mark.django_db

API_KEY = "mk_live_SECRET_key_7f3a9c"
WEBHOOK_SECRET = "whsec_live_SECRET_91b2"


@pytest.fixture
def connection(market):
    market.register_store(store_ref="casa-lucia", api_key=API_KEY, webhook_secret=WEBHOOK_SECRET, currency="EUR")
    channel = ChannelFactory(sandbox_base_url=market.url)
    return ConnectionFactory(
        channel=channel, store_id="casa-lucia", credentials={"api_key": API_KEY, "webhook_secret": WEBHOOK_SECRET}
    )


def small_catalog(price: str = "11.50") -> CanonicalCatalog:
    return CanonicalCatalog(
        currency="EUR",
        menus=(CatalogMenu(ref="carta", name="Carta", sections=(
            CatalogSection(ref="pizzas", name="Pizzas", product_skus=("PIZ-MARG",)),
            CatalogSection(ref="bebidas", name="Bebidas", product_skus=("BEB-CANA",)),
        )),),
        products=(
            CatalogProduct(sku="PIZ-MARG", name="Margherita", price=Decimal(price), vat_rate=Decimal("10"),
                           variants=(CatalogVariant(sku="PIZ-MARG-L", name="Large", price=Decimal("14.00")),),
                           option_category_refs=("extras",)),
            CatalogProduct(sku="BEB-CANA", name="Caña", price=Decimal("2.50"), vat_rate=Decimal("21")),
        ),
        option_categories=(CatalogOptionCategory(ref="extras", name="Extras", min_selections=0, max_selections=3,
                                                 max_per_option=2, options=(
            CatalogOption(sku="OPT-CHEESE", name="Extra cheese", price=Decimal("1.50"), vat_rate=Decimal("10")),)),),
    )


def test_get_order_translates_every_line_option_and_amount(market, connection):
    market.api("PUT", "casa-lucia", "/menu", API_KEY, {"currency": "EUR", "menus": []})
    ticket = market.create_ticket("casa-lucia", kind="HOME_DELIVERY", basket=[
        {"plu": "PIZ-MARG", "title": "Margherita", "qty": 2, "unit_cents": 1150, "vat_pct": 10,
         "extras": [{"plu": "OPT-CHEESE", "title": "Extra cheese", "qty": 1, "unit_cents": 150, "vat_pct": 10}]},
        {"plu": "BEB-CANA", "title": "Caña", "qty": 1, "unit_cents": 250, "vat_pct": 21},
    ], tip_cents=100, delivery_fee_cents=250)

    order = client_for(connection).get_order(ticket["ticket_id"])

    assert order.channel_order_id == ticket["ticket_id"]
    assert order.status == OrderStatus.RECEIVED and order.channel_status == "NEW"
    assert [(line.sku, line.quantity, line.unit_price.amount) for line in order.lines] == [
        ("PIZ-MARG", 2, Decimal("11.50")), ("BEB-CANA", 1, Decimal("2.50"))]
    assert order.lines[0].options[0].unit_price.amount == Decimal("1.50")
    assert order.amounts.total.amount == Decimal(ticket["totals"]["grand_total_cents"]) / 100
    assert order.amounts.tip.amount == Decimal("1.00")
    assert order.amounts.vat.amount == Decimal(ticket["totals"]["vat_cents"]) / 100
    lines_gross = sum(line.gross_total() for line in order.lines)
    assert lines_gross + Decimal("2.50") + Decimal("1.00") == order.amounts.total.amount


def test_get_status_and_post_every_order_status(market, connection):
    ticket = market.create_ticket("casa-lucia", kind="HOME_DELIVERY")
    client = client_for(connection)
    ref = OrderRef(channel_order_id=ticket["ticket_id"], service_type=ServiceType.DELIVERY)

    client.set_order_status(ref, StatusUpdate(status=OrderStatus.ACCEPTED, prep_minutes=15))
    for status in (OrderStatus.PREPARING, OrderStatus.READY, OrderStatus.PICKED_UP, OrderStatus.DELIVERED):
        client.set_order_status(ref, StatusUpdate(status=status))

    assert client.get_order_status(ref).status == OrderStatus.DELIVERED
    posted = [entry["payload"]["state"] for entry in market.log("casa-lucia", kind="state")]
    assert posted == ["CONFIRMED", "IN_KITCHEN", "READY", "ON_THE_WAY", "HANDED_OVER"]
    assert market.log("casa-lucia", kind="state")[0]["payload"]["prep_minutes"] == 15


def test_reservation_statuses_use_the_booking_vocabulary(market, connection):
    booking = market.create_booking("casa-lucia", covers=4)
    ref = OrderRef(channel_order_id=booking["ticket_id"], service_type=ServiceType.RESERVATION)
    client = client_for(connection)

    client.set_order_status(ref, StatusUpdate(status=OrderStatus.CONFIRMED))
    client.set_order_status(ref, StatusUpdate(status=OrderStatus.NO_SHOW))

    assert client.get_order_status(ref).status == OrderStatus.NO_SHOW
    assert client.get_order(booking["ticket_id"]).diners == 4


def test_a_forbidden_transition_is_a_permanent_error_with_the_channels_message(market, connection):
    ticket = market.create_ticket("casa-lucia")
    ref = OrderRef(channel_order_id=ticket["ticket_id"], service_type=ServiceType.DELIVERY)
    client = client_for(connection)
    client.set_order_status(ref, StatusUpdate(status=OrderStatus.CANCELLED, reason="out of dough"))

    with pytest.raises(PermanentChannelError) as failure:
        client.set_order_status(ref, StatusUpdate(status=OrderStatus.READY))

    assert failure.value.status_code == 409
    assert failure.value.channel_code == "invalid_transition"


def test_publish_full_catalog_polls_the_upload_then_patches_one_price(market, connection):
    client = client_for(connection)

    first = client.publish_catalog(small_catalog())
    assert first.state == PublishState.PROCESSING and first.transaction_id
    assert client.get_publish_result(first.transaction_id).state == PublishState.DONE
    client.update_catalog_items([ItemUpdate(kind=ItemKind.PRODUCT, sku="PIZ-MARG", price=Decimal("12.00"))])

    menu = market.api("GET", "casa-lucia", "/menu", API_KEY).body
    item = menu["menus"][0]["sections"][0]["items"][0]
    assert item["price_cents"] == 1200
    assert item["sizes"][0]["price_cents"] == 1400
    assert item["extra_groups"][0]["extras"][0]["plu"] == "OPT-CHEESE"


def test_a_rejected_upload_carries_the_channels_errors(market, connection):
    market.add_fault(store_ref="casa-lucia", kind="menu_upload_failed", count=1)
    client = client_for(connection)

    result = client.get_publish_result(client.publish_catalog(small_catalog()).transaction_id)

    assert result.state == PublishState.FAILED
    assert result.errors and result.errors[0].startswith("rejected")


def test_driver_location_hours_exceptions_pause_and_resume_reach_the_market(market, connection):
    ticket = market.create_ticket("casa-lucia", kind="HOME_DELIVERY")
    client = client_for(connection)
    now = datetime.now(UTC)

    client.update_delivery_location(
        OrderRef(channel_order_id=ticket["ticket_id"], service_type=ServiceType.DELIVERY),
        DriverPosition(lat=Decimal("40.4168"), lng=Decimal("-3.7038"), recorded_at=now),
    )
    client.set_opening_hours(Availability(
        timezone="Europe/Madrid",
        weekly=(WeeklyRange(start_day=4, end_day=5, start_time=time(20), end_time=time(1, 30)),),
        exceptions=(CalendarException(starts_at=now + timedelta(days=1), expires_at=now + timedelta(days=2),
                                      reason="Holiday"),),
    ))
    client.pause(PauseRequest(until=now + timedelta(minutes=30), reason="kitchen overloaded"))
    client.resume()

    kinds = [entry["kind"] for entry in market.log("casa-lucia")]
    assert kinds == ["courier_position", "opening_hours", "pause", "resume"]
    hours = market.log("casa-lucia", kind="opening_hours")[0]["payload"]
    assert hours["weekly"] == [{"day": "FRI", "opens": "20:00", "closes": "01:30"},
                               {"day": "SAT", "opens": "20:00", "closes": "01:30"}]
    assert market.api("GET", "casa-lucia", "/status", API_KEY).body["paused"] is False


@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        ({"kind": "http_500"}, (500, None)),
        ({"kind": "http_429", "retry_after": 7}, (429, 7.0)),
    ],
)
def test_channel_faults_are_classified_retryable(market, connection, fault, expected):
    market.add_fault(store_ref="casa-lucia", count=1, **fault)

    with pytest.raises(RetryableChannelError) as failure:
        client_for(connection).get_order("SM-000001")

    assert (failure.value.status_code, failure.value.retry_after) == expected


def test_a_timeout_is_retryable(market, connection, settings):
    settings.CHANNEL_READ_TIMEOUT = 0.3
    market.add_fault(store_ref="casa-lucia", kind="timeout", count=1, delay=2)

    with pytest.raises(RetryableChannelError, match="Timed out"):
        client_for(connection).get_order("SM-000001")


def test_wrong_api_key_is_permanent(market, connection):
    connection.credentials = {"api_key": "wrong-key-123", "webhook_secret": WEBHOOK_SECRET}
    connection.save()

    with pytest.raises(PermanentChannelError) as failure:
        client_for(connection).get_order("SM-000001")

    assert failure.value.status_code == 401


def test_every_call_is_recorded_and_no_secret_appears_in_call_rows_or_logs(market, connection, caplog):
    caplog.set_level(logging.DEBUG)
    ticket = market.create_ticket("casa-lucia")
    client = client_for(connection, correlation_id="corr-123")

    client.get_order(ticket["ticket_id"])
    with pytest.raises(PermanentChannelError):
        client.get_order("SM-999999")

    calls = list(ChannelCall.objects.filter(connection=connection).order_by("created_at"))
    assert [(c.operation, c.status_code, c.outcome) for c in calls] == [
        ("get_order", 200, "ok"), ("get_order", 404, "permanent")]
    assert {c.correlation_id for c in calls} == {"corr-123"}
    for call in calls:
        dumped = json.dumps([call.url, call.request_headers, call.request_body, call.response_headers,
                             call.response_body, call.error])
        assert API_KEY not in dumped and WEBHOOK_SECRET not in dumped
    assert calls[0].request_headers.get("X-Market-Key") not in (None, API_KEY)
    assert API_KEY not in caplog.text and WEBHOOK_SECRET not in caplog.text
    connection.refresh_from_db()
    assert connection.consecutive_failures == 1 and "SM-999999" in connection.last_error
