"""End to end: the Deliveroo simulator as its own process, our live server and a real Celery worker.

Deliveroo sends ``order.new`` with the whole order, signed over the sequence GUID and the body; the worker
stores it and (auto-accept) accepts it on Deliveroo with one PATCH. A rider event shows the courier on the
order; a scheduled order is confirmed by the platform's sweep shortly before its confirm-by time, on a
controlled clock (``tests/clocks.ManualClock``): not before, and in time. The menu, item availability and the
site's status go out through the outbox to the simulator.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from integrations.models import ChannelCall, SyncJob, WebhookEvent
from integrations.outbound import scheduled_confirmations
from integrations.outbound.services import change_order_status, publish_catalog
from integrations.outbound.services.availability import pause_restaurant, resume_restaurant, set_opening_hours
from integrations.outbound.services.catalog import snooze
from integrations.redaction import MASK
from orders.models import Order, OrderStatus
from tests.clocks import ManualClock
from tests.conftest import purge_all_queues, start_worker
from tests.factories.catalog import SectionItemFactory
from tests.factories.integrations import ChannelFactory, ConnectionFactory
from tests.factories.restaurants import CalendarExceptionFactory, ScheduleRangeFactory
from tests.outbound.conftest import FAST_ENV

pytestmark = pytest.mark.django_db(transaction=True)

SITE, BRAND = "deliveroo-e2e-site", "deliveroo-e2e-brand"
APP = {"client_id": "deliveroo-e2e-client", "client_secret": "deliveroo-API-secret-e2e"}
WEBHOOK_SECRET = "deliveroo-WEBHOOK-secret-e2e"
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
def worker(transactional_db, purge_broker, module_worker, deliveroo):
    yield module_worker
    settle(deliveroo)


def settle(deliveroo) -> None:
    """Before the database is emptied: every webhook the simulator sent was answered and processed, every job done
    (a worker still writing while the tables are flushed deadlocks PostgreSQL's TRUNCATE)."""
    deliveroo.wait_for(lambda: all(d["delivered"] or len(d["attempts"]) >= 7 for d in deliveroo.webhooks()),
                       timeout=30, interval=0.1)
    deliveroo.wait_for(lambda: not WebhookEvent.objects.filter(state__in=("received", "processing")).exists(),
                       timeout=30, interval=0.1)
    jobs_final(deliveroo)


@pytest.fixture
def connection(deliveroo, live_server):
    channel = ChannelFactory(module="deliveroo", sandbox_base_url=deliveroo.url)
    connection = ConnectionFactory(channel=channel, store_id=SITE, auto_accept=True, auto_accept_prep_minutes=15,
                                   credentials={**APP, "webhook_secret": WEBHOOK_SECRET, "brand_id": BRAND})
    deliveroo.control("POST", "/_control/app", APP)
    deliveroo.control("POST", "/_control/sites", {
        "site_id": SITE, "brand_id": BRAND, "webhook_secret": WEBHOOK_SECRET,
        "webhook_url": f"{live_server.url}/webhooks/{connection.webhook_token}/"})
    return connection


def arrived(deliveroo, connection, order_id: str, **fields) -> Order:
    return deliveroo.wait_for(
        lambda: Order.objects.filter(connection=connection, channel_order_id=order_id, **fields).first(), timeout=20)


def jobs_final(deliveroo, timeout: float = 40.0) -> list[SyncJob]:
    """Every job done; status calls of one order are spaced by the module's limit (5 a minute: 12 s apart)."""
    deliveroo.wait_for(lambda: not SyncJob.objects.exclude(state__in=FINAL).exists(), timeout=timeout, interval=0.1)
    return list(SyncJob.objects.order_by("id"))


def patches(deliveroo, order_id: str) -> list[str]:
    return [entry["payload"]["status"] for entry in deliveroo.log("patch_order") if entry["order_id"] == order_id]


def test_an_order_is_accepted_on_deliveroo_its_rider_shows_on_the_order_and_the_kitchen_steps_go_back(
    deliveroo, connection, worker
):
    created = deliveroo.control("POST", "/_control/orders", {"site_id": SITE})
    order = arrived(deliveroo, connection, created["id"], status=OrderStatus.ACCEPTED)
    jobs_final(deliveroo)

    # The order as Deliveroo documents it (the corpus' expected file says the rest; the kit compares it).
    assert order.total_amount == Decimal("21.85") and order.service_type == "delivery"
    assert [line.sku for line in order.lines.filter(parent=None).order_by("position")] == ["BUR-CHK", "SID-FRY"]
    assert patches(deliveroo, created["id"]) == ["accepted"]
    assert deliveroo.control("GET", f"/_control/orders/{created['id']}")["status"] == "accepted"
    event = WebhookEvent.objects.filter(connection=connection).order_by("id").first()
    assert event.state == "processed" and event.order_id == order.pk

    # Deliveroo's rider: the courier shows on the order.
    deliveroo.control("POST", f"/_control/orders/{created['id']}/riders", {"fixture": "webhook_rider_assigned"})
    delivery = deliveroo.wait_for(lambda: order.deliveries.filter(driver_name="Sam Rider").first(), timeout=20)
    assert (delivery.stage, delivery.driver_phone, delivery.phone_code) == ("assigned", "+44 20 3000 0000",
                                                                            "123 456")
    assert delivery.pickup_eta is not None and delivery.position_lat == Decimal("51.510100")

    # The kitchen's step: a prep stage, not a status change ("Order ready" pressed by staff).
    order.refresh_from_db()
    change_order_status(order, OrderStatus.READY)
    jobs_final(deliveroo)
    [stage] = deliveroo.log("prep_stage")
    assert stage["payload"]["stage"] == "ready_for_collection" and stage["order_id"] == created["id"]
    assert patches(deliveroo, created["id"]) == ["accepted"]  # one PATCH per order, as documented

    # The customer cancels on Deliveroo: order.status_update moves the order we hold.
    deliveroo.control("POST", f"/_control/orders/{created['id']}/cancel")
    cancelled = arrived(deliveroo, connection, created["id"], status=OrderStatus.CANCELLED)
    assert cancelled.status_changes.last().channel_status == "canceled"

    # Secrets: the API secret and the bearer tokens are never kept in clear.
    recorded = json.dumps(list(ChannelCall.objects.values_list("request_headers", "request_body", "response_body")))
    assert APP["client_secret"] not in recorded and WEBHOOK_SECRET not in recorded
    assert {call.request_headers.get("Authorization") for call in ChannelCall.objects.exclude(
        operation="oauth_token")} == {MASK}


def test_a_scheduled_order_is_confirmed_by_the_platform_before_its_confirm_by_time_and_not_earlier(
    deliveroo, connection, worker, monkeypatch
):
    clock = ManualClock(start=timezone.now().timestamp())
    monkeypatch.setattr(scheduled_confirmations, "_clock", clock)
    created = deliveroo.control("POST", "/_control/orders", {"site_id": SITE, "fixture": "webhook_order_new_scheduled"})
    order = arrived(deliveroo, connection, created["id"], status=OrderStatus.ACCEPTED)
    jobs_final(deliveroo)
    confirm_by = datetime.fromisoformat(created["confirm_at"].replace("Z", "+00:00"))
    assert order.confirm_by == confirm_by and order.is_scheduled  # accepted on arrival, hours ahead
    assert patches(deliveroo, created["id"]) == ["accepted"]

    # Too early: nothing is sent, however often beat sweeps.
    assert scheduled_confirmations.confirm_due_scheduled_orders()["confirmed"] == 0
    clock.advance((confirm_by - scheduled_confirmations.CONFIRM_LEAD).timestamp() - clock.now - 1)
    assert scheduled_confirmations.confirm_due_scheduled_orders()["confirmed"] == 0
    order.refresh_from_db()
    assert order.status == OrderStatus.ACCEPTED and patches(deliveroo, created["id"]) == ["accepted"]

    # Its time: the sweep moves it to preparing and confirms it on Deliveroo, before confirm_by.
    clock.advance(1)
    assert scheduled_confirmations.confirm_due_scheduled_orders()["confirmed"] == 1
    jobs = jobs_final(deliveroo)
    confirmation = jobs[-1]
    assert confirmation.state == SyncJob.State.SUCCEEDED and confirmation.deadline_at == confirm_by
    [confirmed] = [entry for entry in deliveroo.log("patch_order") if entry["payload"]["status"] == "confirmed"]
    assert confirmed["order_id"] == created["id"] and confirmed["before_confirm_at"] is True
    assert datetime.fromtimestamp(confirmed["at"], UTC) < confirm_by
    order.refresh_from_db()
    assert order.status == OrderStatus.PREPARING

    # Once: later sweeps find nothing more to send.
    clock.advance(60)
    assert scheduled_confirmations.confirm_due_scheduled_orders() == {"confirmed": 0}
    assert patches(deliveroo, created["id"]) == ["accepted", "confirmed"]


def test_the_menu_item_availability_hours_days_off_and_the_site_status_reach_deliveroo(
    deliveroo, connection, worker
):
    item = SectionItemFactory(section__menu__restaurant=connection.restaurant,
                              product__restaurant=connection.restaurant, product__sku="PIZ-MARG",
                              product__price=Decimal("11.50"))
    publish_catalog(connection.restaurant)
    jobs_final(deliveroo)
    site = deliveroo.control("GET", f"/_control/sites/{SITE}")
    assert [product["id"] for product in site["menu"]["items"]] == ["PIZ-MARG"]
    assert site["menu"]["items"][0]["price_info"] == {"price": 1150}  # minor units, as orders

    snooze(item.product, timezone.now() + timedelta(hours=2))
    jobs_final(deliveroo)
    assert deliveroo.control("GET", f"/_control/sites/{SITE}")["unavailable"] == {"PIZ-MARG": "unavailable"}

    # Weekly hours (each call overwrites all) and a closed day as a day off of its own, in the site's local time.
    restaurant = connection.restaurant
    ScheduleRangeFactory(restaurant=restaurant, start_day=0, end_day=4, start_time="12:00", end_time="16:00")
    ScheduleRangeFactory(restaurant=restaurant, start_day=4, end_day=4, start_time="20:00", end_time="01:00")
    closed_from = (timezone.now() + timedelta(days=3)).replace(hour=8, minute=0, second=0, microsecond=0)
    CalendarExceptionFactory(restaurant=restaurant, starts_at=closed_from, expires_at=closed_from + timedelta(days=1),
                             reason="Staff training")
    set_opening_hours(restaurant)
    jobs_final(deliveroo)
    site = deliveroo.control("GET", f"/_control/sites/{SITE}")
    hours = site["opening_hours"]
    assert hours["monday"] == [{"local_start_time": "12:00", "local_end_time": "16:00"}]
    assert hours["friday"] == [{"local_start_time": "12:00", "local_end_time": "16:00"},
                               {"local_start_time": "20:00", "local_end_time": "23:59"}]
    assert hours["saturday"] == [{"local_start_time": "00:00", "local_end_time": "01:00"}]
    assert hours["sunday"] == []
    [day_off] = site["days_off"]
    local = closed_from.astimezone(ZoneInfo(restaurant.timezone))
    assert day_off["local_start_time"] == local.strftime("%Y-%m-%d %H:%M") and day_off["reason"] == "Staff training"

    pause_restaurant(connection.restaurant, None, "Kitchen closed early")
    jobs_final(deliveroo)
    assert deliveroo.control("GET", f"/_control/sites/{SITE}")["status"] == "CLOSED"
    resume_restaurant(connection.restaurant)
    jobs_final(deliveroo)
    assert deliveroo.control("GET", f"/_control/sites/{SITE}")["status"] == "OPEN"
    assert {job.state for job in SyncJob.objects.all()} == {SyncJob.State.SUCCEEDED}
    # The upload's result came back by the menu webhook: stored, and recorded as not yet matched to the job.
    menu_event = deliveroo.wait_for(lambda: WebhookEvent.objects.filter(
        connection=connection, state="ignored").first(), timeout=20)
    assert "menu upload results have no canonical event yet" in menu_event.error
