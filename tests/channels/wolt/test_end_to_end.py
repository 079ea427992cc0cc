"""End to end: the Wolt simulator as its own process, our live server and a real Celery worker.

Wolt POSTs a thin ``order.notification`` signed with ``WOLT-SIGNATURE``; the worker fetches the current order
(``GET /v2/orders/{id}``, never the notification's outdated ``resource_url``) with a token refreshed from the
venue's refresh token, stores it, and statuses go back through the outbox to the accept each order type takes.
Wolt's own notifications then move the order; the catalog, item availability, the venue's online status and its
opening and special times reach the simulator too.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from integrations.models import ChannelCall, SyncJob, WebhookEvent
from integrations.outbound.services import change_order_status, publish_catalog
from integrations.outbound.services.availability import pause_restaurant, resume_restaurant, set_opening_hours
from integrations.outbound.services.catalog import snooze
from integrations.outbound.services.driver_location import report_driver_location
from orders.models import Order, OrderStatus
from tests.conftest import purge_all_queues, start_worker
from tests.factories.catalog import OptionFactory, ProductOptionCategoryFactory, SectionItemFactory
from tests.factories.integrations import ChannelFactory, ConnectionFactory
from tests.factories.restaurants import CalendarExceptionFactory, ScheduleRangeFactory
from tests.outbound.conftest import FAST_ENV

pytestmark = pytest.mark.django_db(transaction=True)

VENUE = "wolt-e2e-venue"
APP = {"client_id": "wolt-e2e-client", "client_secret": "wolt_e2e_CLIENT_SECRET_0001",
       "webhook_secret": "wolt_e2e_WEBHOOK_SECRET_0001"}
FINAL = (SyncJob.State.SUCCEEDED, SyncJob.State.FAILED, SyncJob.State.SUPERSEDED, SyncJob.State.CANCELLED)


@pytest.fixture(scope="module")
def module_worker(django_db_setup):
    purge_all_queues()
    process = start_worker(extra_env=FAST_ENV)
    try:
        yield process
    finally:
        process.kill()


@pytest.fixture
def worker(transactional_db, purge_broker, module_worker):
    return module_worker


@pytest.fixture
def refresh_token() -> str:
    """The venue's first refresh token: a fresh one per test, as each connect (a code exchange) gives."""
    return f"wolt_e2e_REFRESH_{uuid.uuid4().hex}"


@pytest.fixture
def connection(wolt, live_server, refresh_token):
    channel = ChannelFactory(module="wolt", sandbox_base_url=wolt.url)
    connection = ConnectionFactory(channel=channel, store_id=VENUE, credentials={
        "client_id": APP["client_id"], "client_secret": APP["client_secret"], "refresh_token": refresh_token,
        "webhook_secret": APP["webhook_secret"]})
    wolt.control("POST", "/_control/app", APP)
    wolt.control("POST", "/_control/venues", {"venue_id": VENUE, "refresh_token": refresh_token,
                                              "webhook_url": f"{live_server.url}/webhooks/{connection.webhook_token}/"})
    return connection


def arrived(wolt, connection, order_id: str, **fields) -> Order:
    try:
        return wolt.wait_for(
            lambda: Order.objects.filter(connection=connection, channel_order_id=order_id, **fields).first(),
            timeout=20)
    except TimeoutError:  # say what the platform holds instead
        statuses = list(Order.objects.filter(channel_order_id=order_id).values_list("status", flat=True))
        events = list(WebhookEvent.objects.values_list("state", "error"))
        raise AssertionError(f"order {order_id} never had {fields}: statuses {statuses}, events {events}") from None


def jobs_final(wolt, timeout: float = 20.0) -> list[SyncJob]:
    wolt.wait_for(lambda: not SyncJob.objects.exclude(state__in=FINAL).exists(), timeout=timeout, interval=0.1)
    return list(SyncJob.objects.order_by("id"))


def on_wolt(wolt, order_id: str) -> str:
    return wolt.control("GET", f"/_control/orders/{order_id}")["order_status"]


def test_a_notification_is_one_get_and_each_status_reaches_wolt_through_the_call_its_order_type_takes(
    wolt, connection, worker, refresh_token
):
    created = wolt.control("POST", "/_control/orders", {"venue_id": VENUE})
    order = arrived(wolt, connection, created["id"], status=OrderStatus.RECEIVED)

    # One GET of the current payload; the token came from the venue's refresh token.
    [get] = ChannelCall.objects.filter(connection=connection, operation="get_order")
    assert get.url.endswith(f"/v2/orders/{created['id']}") and "/v2/" in get.url
    assert WebhookEvent.objects.get(connection=connection).state == "processed"
    assert [line.sku for line in order.lines.filter(parent=None).order_by("position")] == ["BURGER-CLASSIC",
                                                                                          "DRINK-COLA"]
    assert order.total_amount == Decimal("29.37") and order.display_code == created["order_number"]
    assert order.vat_amount is None  # OrderV2 sends no tax: unknown, not zero

    # Accept → PUT accept → Wolt's PRODUCTION notification moves our order to preparing; ready → READY.
    change_order_status(order, OrderStatus.ACCEPTED)
    arrived(wolt, connection, created["id"], status=OrderStatus.PREPARING)
    change_order_status(Order.objects.get(pk=order.pk), OrderStatus.READY)
    arrived(wolt, connection, created["id"], status=OrderStatus.READY)
    jobs_final(wolt)
    assert [entry["kind"] for entry in wolt.log() if entry.get("order_id") == created["id"]] == ["accept", "ready"]
    assert on_wolt(wolt, created["id"]) == "READY"

    # Wolt's courier: approaching (its pickup ETA on our delivery row), then picked up.
    wolt.control("POST", f"/_control/orders/{created['id']}/courier", {"pickup_eta": "2030-01-01T12:00:00Z"})
    delivery = wolt.wait_for(lambda: order.deliveries.filter(stage="arriving").first(), timeout=20)
    assert delivery.pickup_eta == datetime(2030, 1, 1, 12, tzinfo=UTC) and not delivery.by_restaurant
    wolt.control("POST", f"/_control/orders/{created['id']}/courier", {"stage": "pickup_completed"})
    wolt.wait_for(lambda: order.deliveries.filter(stage="picked_up").exists(), timeout=20)

    # A self-delivery order: self-delivery/accept, the courier's position, delivered by us.
    own = wolt.control("POST", "/_control/orders", {"venue_id": VENUE, "fixture": "get_order_self_delivery"})
    mine = arrived(wolt, connection, own["id"], status=OrderStatus.RECEIVED)
    assert (mine.address_street, mine.address_unit) == ("Carrer de Mallorca 401", "3º 2ª")
    assert mine.deliveries.get().by_restaurant
    change_order_status(mine, OrderStatus.ACCEPTED)
    arrived(wolt, connection, own["id"], status=OrderStatus.PREPARING)
    report_driver_location(Order.objects.get(pk=mine.pk), "41.401", "2.170", timezone.now())
    jobs_final(wolt)
    change_order_status(Order.objects.get(pk=mine.pk), OrderStatus.DELIVERED)
    arrived(wolt, connection, own["id"], status=OrderStatus.DELIVERED)
    jobs_final(wolt)
    kinds = [entry["kind"] for entry in wolt.log() if entry.get("order_id") == own["id"]]
    assert kinds == ["self_delivery_accept", "location", "delivered"]
    assert wolt.log("location")[0]["payload"] == {"latitude": 41.401, "longitude": 2.17}

    # A pre-order: stored scheduled, confirmed with confirm-preorder; Wolt starts it later (PRODUCTION).
    planned = wolt.control("POST", "/_control/orders", {"venue_id": VENUE, "fixture": "get_order_preorder"})
    later = arrived(wolt, connection, planned["id"], status=OrderStatus.RECEIVED)
    assert later.scheduled_for == datetime.fromisoformat(planned["pre_order"]["preorder_time"].replace("Z", "+00:00"))
    change_order_status(later, OrderStatus.ACCEPTED)
    arrived(wolt, connection, planned["id"], status=OrderStatus.ACCEPTED)
    jobs_final(wolt)
    assert on_wolt(wolt, planned["id"]) == "ACKNOWLEDGED"
    wolt.control("POST", f"/_control/orders/{planned['id']}/start")
    arrived(wolt, connection, planned["id"], status=OrderStatus.PREPARING)

    # The customer cancels a fourth order on Wolt: CANCELED moves it, with no GET.
    gets = ChannelCall.objects.filter(operation="get_order").count()
    gone = wolt.control("POST", "/_control/orders", {"venue_id": VENUE, "fixture": "get_order_takeaway"})
    arrived(wolt, connection, gone["id"], status=OrderStatus.RECEIVED)
    wolt.control("POST", f"/_control/orders/{gone['id']}/cancel")
    cancelled = arrived(wolt, connection, gone["id"], status=OrderStatus.CANCELLED)
    assert cancelled.status_changes.last().channel_status == "CANCELED"
    assert ChannelCall.objects.filter(operation="get_order").count() == gets + 1  # only the new order's fetch

    # Every job succeeded; one token refresh served them all; no secret or token is kept in clear.
    assert set(SyncJob.objects.values_list("state", flat=True)) == {"succeeded"}
    assert ChannelCall.objects.filter(connection=connection, operation="oauth_token").count() == 1
    recorded = json.dumps(list(ChannelCall.objects.values_list("request_headers", "request_body", "response_body")))
    stored = json.dumps(list(WebhookEvent.objects.values_list("headers", flat=True)))
    for secret in (refresh_token, APP["client_secret"], APP["webhook_secret"]):
        assert secret not in recorded + stored


def test_catalog_availability_venue_status_and_hours_reach_wolt(wolt, connection, worker):
    restaurant = connection.restaurant
    item = SectionItemFactory(section__menu__restaurant=restaurant, product__restaurant=restaurant,
                              product__sku="PIZZA-MARG", product__price=Decimal("14.50"))
    option = OptionFactory(category__restaurant=restaurant, sku="OPT-OLIVES", price=Decimal("1.00"))
    ProductOptionCategoryFactory(product=item.product, category=option.category)

    publish_catalog(restaurant)
    [job] = jobs_final(wolt)
    assert job.state == SyncJob.State.SUCCEEDED
    menu = wolt.control("GET", f"/_control/venues/{VENUE}")["menu"]
    [category] = menu["categories"]
    assert (menu["currency"], [entry["external_data"] for entry in category["items"]]) == ("EUR", ["PIZZA-MARG"])
    assert category["items"][0]["price"] == 14.5
    assert category["items"][0]["options"][0]["values"][0]["external_data"] == "OPT-OLIVES"

    # Out of olives for an hour: one availability PATCH of the option value, not a new menu.
    snooze(option, timezone.now() + timedelta(hours=1))
    jobs_final(wolt)
    [patch] = wolt.log("option_values")
    assert patch["payload"] == {"data": [{"external_id": "OPT-OLIVES", "in_stock": False}]}
    assert len(wolt.log("menu")) == 1

    # Offline and back online.
    pause_restaurant(restaurant, None, "Oven broken")
    jobs_final(wolt)
    assert wolt.control("GET", f"/_control/venues/{VENUE}")["is_online"] is False
    resume_restaurant(restaurant)
    jobs_final(wolt)
    assert wolt.control("GET", f"/_control/venues/{VENUE}")["is_online"] is True
    assert [entry["payload"] for entry in wolt.log("venue_online")] == [
        {"is_online": False, "reason": "Oven broken"}, {"is_online": True}]

    # Weekly hours past midnight and a closed day, in the venue's local time (Madrid).
    ScheduleRangeFactory(restaurant=restaurant, start_day=4, end_day=4, start_time=time(20), end_time=time(2))
    closed_from = datetime(2030, 12, 25, 0, 0, tzinfo=UTC) - timedelta(hours=1)  # midnight in Madrid (winter)
    CalendarExceptionFactory(restaurant=restaurant, starts_at=closed_from, expires_at=closed_from + timedelta(days=1))
    set_opening_hours(restaurant)
    jobs_final(wolt)
    venue = wolt.control("GET", f"/_control/venues/{VENUE}")
    assert venue["opening_times"] == [
        {"opening_day": "FRIDAY", "opening_time": "20:00", "closing_day": "SATURDAY", "closing_time": "02:00"}]
    assert venue["special_times"] == [{"opening_date": "2030-12-25", "opening_time": "00:00",
                                       "closing_date": "2030-12-25", "closing_time": "00:00"}]
    assert set(SyncJob.objects.values_list("state", flat=True)) == {"succeeded"}


def test_an_order_wolt_cannot_serve_yet_is_fetched_again_until_it_can_and_wolt_got_200_at_once(
    wolt, connection, worker
):
    wolt.control("POST", "/_control/faults", {"operation": "get_order", "status": 404, "count": 2})

    created = wolt.control("POST", "/_control/orders", {"venue_id": VENUE, "fixture": "get_order_eatin"})
    order = arrived(wolt, connection, created["id"])

    event = WebhookEvent.objects.get(connection=connection)
    assert (event.state, event.order_id, event.attempts) == ("processed", order.pk, 3)
    assert list(ChannelCall.objects.filter(connection=connection, operation="get_order").order_by("id")
                .values_list("status_code", flat=True)) == [404, 404, 200]
    [delivery] = wolt.webhooks()  # answered 200 on the first send: Wolt never resent
    assert delivery["delivered"] and [attempt["status"] for attempt in delivery["attempts"]] == [200]
    assert order.service_type == "insitu"


def test_a_pause_with_an_end_reopens_wolt_by_itself_at_its_end(wolt, connection, worker):
    # Wolt's venue status takes no end time (is_online and a reason only): the platform resumes at the end.
    restaurant = connection.restaurant
    until = timezone.now() + timedelta(seconds=4)

    pause_restaurant(restaurant, until, "Short of staff")
    wolt.wait_for(lambda: wolt.control("GET", f"/_control/venues/{VENUE}")["is_online"] is False, timeout=20)
    scheduled = SyncJob.objects.get(kind=SyncJob.Kind.RESUME)
    assert scheduled.state == SyncJob.State.PENDING and scheduled.next_attempt_at >= until

    wolt.wait_for(lambda: wolt.control("GET", f"/_control/venues/{VENUE}")["is_online"] is True, timeout=30)
    assert timezone.now() >= until
    jobs_final(wolt)
    assert [entry["payload"] for entry in wolt.log("venue_online")] == [
        {"is_online": False, "reason": "Short of staff"}, {"is_online": True}]


def test_a_newer_pause_or_a_resume_replaces_the_resume_still_waiting(wolt, connection, worker):
    restaurant = connection.restaurant
    soon, later = timezone.now() + timedelta(hours=1), timezone.now() + timedelta(hours=3)

    pause_restaurant(restaurant, soon, "Short of staff")
    pause_restaurant(restaurant, later, "Still short of staff")  # extended: only the later end reopens
    waiting = SyncJob.objects.filter(kind=SyncJob.Kind.RESUME, state=SyncJob.State.PENDING)
    assert [job.next_attempt_at >= later for job in waiting] == [True]

    resume_restaurant(restaurant)  # reopened by hand: nothing is left waiting for the old end
    resumes = SyncJob.objects.filter(kind=SyncJob.Kind.RESUME).order_by("id")
    assert [job.state for job in resumes][:2] == [SyncJob.State.SUPERSEDED, SyncJob.State.SUPERSEDED]
    jobs_final(wolt)
    assert wolt.control("GET", f"/_control/venues/{VENUE}")["is_online"] is True
