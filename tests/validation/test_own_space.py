"""A validation run keeps to its own space: the restaurant's pause, hours and menu on the market are what they were,
its test orders are marked and kept out of the restaurant's lists and auto-accept, and it leaves no failed job.

Live: the Sandbox Market as its own process, webhooks to a live server, a real Celery worker processing them.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from api.keys import create_api_key
from integrations.models import SyncJob, ValidationRun, WebhookEvent
from integrations.outbound.auto_accept import auto_accept_if_enabled
from integrations.outbound.services.availability import pause_restaurant, set_opening_hours
from integrations.outbound.services.catalog import publish_catalog
from integrations.pages.status import restaurant_status
from integrations.validation.runner import accept_held_orders, run_validation
from integrations.validation.space import TEST_ORDER_RETENTION, purge_test_orders, restaurant_pause
from orders.models import Order
from restaurants.models import Pause
from tests.api.conftest import client_with
from tests.conftest import start_worker, stop_worker
from tests.factories.catalog import SectionItemFactory
from tests.factories.integrations import ConnectionFactory
from tests.factories.orders import OrderFactory
from tests.factories.restaurants import PauseFactory, ScheduleRangeFactory, UserFactory

from .conftest import API_KEY, STORE


def market_state(market) -> dict:
    """What the market shows of the store: its pause, its hours, its menu."""
    return {path: market.api("GET", STORE, path, API_KEY).body for path in ("/status", "/opening-hours", "/menu")}


def jobs_done(connection) -> bool:
    return not SyncJob.objects.filter(connection=connection).exclude(state=SyncJob.State.SUCCEEDED).exists()


def webhooks_settled(market, connection) -> bool:
    """Every webhook the market has for the store delivered, and every one we stored processed."""
    deliveries = market.webhooks(STORE)
    delivered = bool(deliveries) and all(row["status"] == "delivered" for row in deliveries)
    open_events = WebhookEvent.objects.filter(connection=connection, state__in=("received", "processing")).exists()
    return delivered and not open_events


@pytest.fixture
def worker(transactional_db, purge_broker):
    """A real worker that knows the test module variants too."""
    # One thread: a store's webhooks are taken in order, so a status change never comes before its order.
    process = start_worker({"DJANGO_SETTINGS_MODULE": "tests.validation.worker_settings"}, concurrency=1)
    try:
        yield process
    finally:
        stop_worker(process)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("module", ["sandbox_market", "sandbox_market_no_fetch"])
def test_a_run_on_a_paused_restaurant_leaves_its_live_state_and_lists_alone(
    module, sandbox_connection, market, worker, settings
):
    # With no fetch, the run cannot take its test orders first: the worker makes them from their webhooks.
    settings.SINQRO_EXTRA_CHANNEL_MODULES = ["tests.validation.no_fetch_module.Module"]
    connection = sandbox_connection
    connection.channel.module = module
    connection.channel.save(update_fields=["module"])
    connection.auto_accept = True
    connection.save(update_fields=["auto_accept"])
    restaurant = connection.restaurant
    SectionItemFactory(section__menu__restaurant=restaurant, product__sku="PIZ-MARG", product__name="Margherita")
    ScheduleRangeFactory(restaurant=restaurant)
    # The restaurant's own state on the market, carried there by the outbox like every day.
    publish_catalog(restaurant)
    set_opening_hours(restaurant)
    pause_restaurant(restaurant, until=None, reason="until I resume")
    market.wait_for(lambda: jobs_done(connection), timeout=30)
    before = market_state(market)
    assert before["/status"] == {"paused": True, "until": None, "reason": "until I resume"}
    assert before["/menu"]["menus"] and before["/opening-hours"]
    jobs_before = SyncJob.objects.filter(connection=connection).count()

    run = run_validation(connection)

    found = {row.feature: (row.result, row.detail) for row in run.results.all()}
    assert run.state == "passed", found
    assert {result for result, _ in found.values()} <= {"passed", "skipped"}
    assert "the restaurant's own pause again (until resumed)" in found["post_availability"][1]
    market.wait_for(lambda: webhooks_settled(market, connection), timeout=60)
    # Paused on the market and in our rows; the hours and the menu are the restaurant's, as before.
    assert market_state(market) == before
    assert [row.reason for row in Pause.objects.active().filter(restaurant=restaurant)] == ["until I resume"]
    pauses = [entry["kind"] for entry in market.log(STORE) if entry["kind"] in ("pause", "resume")]
    assert "resume" not in pauses
    # Every order the run made is a marked test order; none reached the restaurant's lists or auto-accept.
    orders = Order.objects.filter(connection=connection)
    assert orders.count() >= 8 and set(orders.values_list("is_test", flat=True)) == {True}
    assert not SyncJob.objects.filter(connection=connection, kind=SyncJob.Kind.ORDER_STATUS).exists()
    assert SyncJob.objects.filter(connection=connection).count() == jobs_before  # the run queued nothing
    assert not SyncJob.objects.filter(state=SyncJob.State.FAILED).exists()
    failed = WebhookEvent.objects.filter(connection=connection, state="failed")
    assert not failed.exists(), list(failed.values_list("error", flat=True))
    assert restaurant_status(restaurant).recent_orders == []
    assert all(card.last_order is None for card in restaurant_status(restaurant).cards)
    _, key = create_api_key([restaurant], "Till 1")
    pos = client_with(key)
    assert pos.get("/api/v1/orders").json()["results"] == []
    assert pos.get("/api/v1/reservations").json()["results"] == []


@pytest.mark.django_db
def test_admin_hides_test_orders_unless_asked(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    real = OrderFactory(channel_order_id="REAL-1", display_code="REAL-1")
    test = OrderFactory(channel_order_id="TEST-1", display_code="TEST-1", is_test=True)

    default = client.get("/admin/orders/order/").content.decode()
    shown = client.get("/admin/orders/order/?test_orders=shown").content.decode()
    only = client.get("/admin/orders/order/?test_orders=only").content.decode()

    assert "REAL-1" in default and "TEST-1" not in default
    assert "REAL-1" in shown and "TEST-1" in shown
    assert "REAL-1" not in only and "TEST-1" in only
    assert client.get(f"/admin/orders/order/{test.pk}/change/").status_code == 200
    assert real.pk


@pytest.mark.django_db
def test_auto_accept_waits_for_a_running_run_and_the_run_accepts_real_orders_at_its_end():
    connection = ConnectionFactory(auto_accept=True)
    run = ValidationRun.objects.create(connection=connection, module="sandbox_market")
    real = OrderFactory(restaurant=connection.restaurant, connection=connection, status="received")
    test = OrderFactory(restaurant=connection.restaurant, connection=connection, status="received", is_test=True)

    assert auto_accept_if_enabled(real) is None  # it could be a test order the run has not marked yet
    run.state, run.finished_at = ValidationRun.State.PASSED, timezone.now()
    run.save()

    assert accept_held_orders(connection, run.started_at) == 1
    real.refresh_from_db()
    test.refresh_from_db()
    assert (real.status, test.status) == ("accepted", "received")
    assert auto_accept_if_enabled(test) is None  # a test order never is


@pytest.mark.django_db
def test_test_orders_are_purged_after_the_retention_only():
    connection = ConnectionFactory()
    old = OrderFactory(restaurant=connection.restaurant, connection=connection, is_test=True)
    Order.objects.filter(pk=old.pk).update(created_at=timezone.now() - TEST_ORDER_RETENTION * 2)
    recent = OrderFactory(restaurant=connection.restaurant, connection=connection, is_test=True)
    real = OrderFactory(restaurant=connection.restaurant, connection=connection)
    Order.objects.filter(pk=real.pk).update(created_at=timezone.now() - TEST_ORDER_RETENTION * 2)

    purge_test_orders(connection)

    assert set(Order.objects.values_list("pk", flat=True)) == {recent.pk, real.pk}


@pytest.mark.django_db
def test_the_pause_to_put_back_is_the_restaurants_own_or_the_channels():
    connection = ConnectionFactory()
    assert restaurant_pause(connection, per_service_type=False) == (None, [])

    PauseFactory(restaurant=connection.restaurant, until=None, reason="until I resume")
    PauseFactory(restaurant=connection.restaurant, service_type="delivery", reason="no riders")
    whole, services = restaurant_pause(connection, per_service_type=True)
    assert (whole.until, whole.reason) == (None, "until I resume")
    assert [(pause.service_type, pause.reason) for pause in services] == [("delivery", "no riders")]

    Pause.objects.all().delete()
    connection.channel_paused, connection.channel_pause_reason = True, "this channel only"
    whole, _ = restaurant_pause(connection, per_service_type=False)
    assert (whole.until, whole.reason) == (None, "this channel only")
