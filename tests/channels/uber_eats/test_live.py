"""The Uber Eats module against the Uber Eats simulator running as its own process, over real HTTP."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from requests.structures import CaseInsensitiveDict

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
    ItemKind,
    ItemUpdate,
    OrderRef,
    OrderStatus,
    PauseRequest,
    ServiceType,
    StatusUpdate,
)
from integrations.channels.registry import get_module
from integrations.connections import client_for, connection_info
from integrations.http import PermanentChannelError
from integrations.http import auth as auth_module
from integrations.models import ChannelCall
from tests.clocks import ManualClock
from tests.factories.integrations import ChannelFactory, ConnectionFactory

pytestmark = pytest.mark.django_db
STORE = "uber-store-1"
NESTED = "get_order_nested_modifiers_removed_item"
"""The corpus order with nested options (integrations/channels/uber_eats/corpus): total 29.16 USD."""


@pytest.fixture
def connection(uber, uber_app, inbox):
    uber.control("POST", "/_control/stores", {"store_id": STORE, "webhook_url": inbox.url})
    channel = ChannelFactory(module="uber_eats", sandbox_base_url=uber.url)
    return ConnectionFactory(channel=channel, store_id=STORE, credentials=dict(uber_app))


def order_ref(order_id: str) -> OrderRef:
    return OrderRef(channel_order_id=order_id, service_type=ServiceType.DELIVERY)


def test_a_thin_webhook_is_verified_parsed_and_its_order_fetched_with_exactly_one_get(uber, connection, inbox):
    created = uber.control("POST", "/_control/orders", {"store_id": STORE, "fixture": NESTED})
    body, headers = inbox.wait(1)[0]
    module, info = get_module("uber_eats"), connection_info(connection)

    module.verify_webhook(info, body, CaseInsensitiveDict(headers), datetime.now(UTC))
    [event] = module.parse_webhook(info, body, CaseInsensitiveDict(headers))
    assert event.needs_fetch and event.channel_order_id == created["id"]
    order = client_for(connection).get_order(event.channel_order_id)

    assert uber.control("GET", "/_control/stats")["get_order"] == 1
    assert order.amounts.total.amount == Decimal("29.16")  # charges.total, as Uber states it
    assert order.lines[0].options[0].options[0].sku == "aioli"  # burger > side: fries > fries sauce: aioli
    assert order.status == OrderStatus.RECEIVED


def test_the_token_is_requested_once_for_many_calls_and_refreshed_on_expiry(uber, uber_app, connection,
                                                                            monkeypatch):
    orders = [uber.control("POST", "/_control/orders", {"store_id": STORE})["id"] for _ in range(3)]
    client = client_for(connection)

    for order_id in orders:
        client.get_order_status(order_ref(order_id))
    client_for(connection).get_order(orders[0])  # another client (another job) shares the cached token
    assert uber.control("GET", "/_control/stats")["oauth_token"] == 1

    short_lived = {**uber_app, "client_id": uber_app["client_id"] + "-short"}  # a new app: nothing cached
    uber.control("POST", "/_control/app", {**short_lived, "expires_in": 61})
    connection.credentials = short_lived
    connection.save()
    clock = ManualClock(time.time())  # our side's clock for token lifetimes; the simulator keeps its own
    monkeypatch.setattr(auth_module, "_clock", clock)
    short = client_for(connection)
    short.get_order(orders[0])
    clock.advance(0.5)
    short.get_order(orders[1])  # still fresh: 61 s minus the 60 s margin
    assert uber.control("GET", "/_control/stats")["oauth_token"] == 2
    clock.advance(1.0)
    short.get_order(orders[2])  # expired in our eyes (61 s less the 60 s margin have passed): a new token
    assert uber.control("GET", "/_control/stats")["oauth_token"] == 3


def test_a_401_drops_the_token_and_retries_the_call_once(uber, connection):
    order_id = uber.control("POST", "/_control/orders", {"store_id": STORE})["id"]
    client = client_for(connection)
    client.get_order(order_id)
    uber.control("POST", "/_control/tokens/revoke")

    client.get_order(order_id)

    assert uber.control("GET", "/_control/stats")["oauth_token"] == 2
    outcomes = list(ChannelCall.objects.filter(connection=connection).order_by("created_at")
                    .values_list("operation", "status_code"))
    assert outcomes[-3:] == [("get_order", 401), ("oauth_token", 200), ("get_order", 200)]


def test_an_accept_after_the_deadline_is_refused_as_permanent_with_the_reason(uber, connection):
    order_id = uber.control("POST", "/_control/orders", {"store_id": STORE})["id"]
    uber.control("POST", f"/_control/orders/{order_id}/age", {"minutes": 12})

    with pytest.raises(PermanentChannelError) as refused:
        client_for(connection).set_order_status(order_ref(order_id), StatusUpdate(status=OrderStatus.ACCEPTED))

    assert refused.value.status_code == 409 and not refused.value.retryable
    assert "not accepted within 11.5 minutes" in refused.value.message
    [deadline, _] = get_module("uber_eats").deadlines
    assert deadline.within == timedelta(minutes=11.5) and deadline.consequence == "the order is auto-cancelled"


def test_accept_deny_and_cancel_speak_ubers_endpoints(uber, connection):
    accepted, denied, cancelled = (uber.control("POST", "/_control/orders", {"store_id": STORE})["id"]
                                   for _ in range(3))
    client = client_for(connection)

    client.set_order_status(order_ref(accepted), StatusUpdate(status=OrderStatus.ACCEPTED, prep_minutes=15))
    client.set_order_status(order_ref(denied), StatusUpdate(status=OrderStatus.REJECTED, reason="capacity"))
    client.set_order_status(order_ref(cancelled), StatusUpdate(status=OrderStatus.CANCELLED, reason="oven broke"))

    accept = uber.log("accept_pos_order")[0]["payload"]
    assert abs(accept["pickup_time"] - (time.time() + 15 * 60)) < 30
    assert uber.log("deny_pos_order")[0]["payload"]["reason"] == {"code": "CAPACITY", "explanation": "capacity"}
    assert uber.log("cancel")[0]["payload"] == {"reason": "OTHER", "details": "oven broke"}
    assert client.get_order_status(order_ref(denied)).status == OrderStatus.REJECTED


def test_menu_item_update_pause_and_holiday_hours_reach_uber(uber, connection):
    catalog = CanonicalCatalog(
        currency="EUR",
        menus=(CatalogMenu(ref="carta", name="Carta", sections=(
            CatalogSection(ref="pizzas", name="Pizzas", product_skus=("PIZ-MARG",)),)),),
        products=(CatalogProduct(sku="PIZ-MARG", name="Margherita", price=Decimal("11.50"), vat_rate=Decimal("10"),
                                 variants=(CatalogVariant(sku="PIZ-MARG-L", name="Large", price=Decimal("14.00")),),
                                 option_category_refs=("extras",)),),
        option_categories=(CatalogOptionCategory(ref="extras", name="Extras", max_selections=3, options=(
            CatalogOption(sku="OPT-CHEESE", name="Extra cheese", price=Decimal("1.50")),)),),
    )
    client = client_for(connection)
    now = datetime.now(UTC)

    client.publish_catalog(catalog)
    client.update_catalog_items([ItemUpdate(kind=ItemKind.PRODUCT, sku="PIZ-MARG", price=Decimal("12.00"),
                                            available=False)])
    client.pause(PauseRequest(until=now + timedelta(minutes=30), reason="kitchen overloaded"))
    client.resume()
    client.set_opening_hours(Availability(timezone="Europe/Madrid", exceptions=(
        CalendarException(starts_at=datetime(2026, 12, 24, 23, tzinfo=UTC),
                          expires_at=datetime(2026, 12, 25, 23, tzinfo=UTC), reason="Christmas"),)))

    store = uber.control("GET", f"/_control/stores/{STORE}")
    items = {item["id"]: item for item in store["menu"]["items"]}
    assert items["PIZ-MARG"]["price_info"] == {"price": 1200}
    assert items["PIZ-MARG"]["suspension_info"]["suspension"]["suspend_until"] > now.timestamp()
    assert items["PIZ-MARG-L"]["price_info"] == {"price": 250}
    assert store["status"] == "ONLINE"
    assert [e["payload"]["status"] for e in uber.log("status")] == ["PAUSED", "ONLINE"]
    closed_all_day = [{"start_time": "00:00", "end_time": "00:00"}]  # the holiday-hours page's form
    assert store["holiday_hours"] == {"2026-12-25": {"open_time_periods": closed_all_day}}
