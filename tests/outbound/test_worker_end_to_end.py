"""End to end: services → outbox → a real Celery worker → the Sandbox Market process, with faults and a crash."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from integrations.models import ChannelCall, SyncAttempt, SyncJob
from integrations.outbound import sweeper
from integrations.outbound.services import (
    change_order_status,
    pause_restaurant,
    publish_catalog,
    report_driver_location,
    resume_restaurant,
    set_opening_hours,
    snooze,
)
from orders.models import OrderStatus
from tests.conftest import start_worker, stop_worker
from tests.factories.catalog import OptionFactory, ProductOptionCategoryFactory, SectionItemFactory
from tests.factories.orders import OrderFactory
from tests.factories.restaurants import ScheduleRangeFactory

from .conftest import API_KEY, FAST_ENV, WEBHOOK_SECRET

pytestmark = pytest.mark.django_db(transaction=True)

FINAL = (SyncJob.State.SUCCEEDED, SyncJob.State.FAILED, SyncJob.State.SUPERSEDED, SyncJob.State.CANCELLED)


@pytest.fixture
def worker(transactional_db, purge_broker):
    process = start_worker(extra_env=FAST_ENV)
    try:
        yield process
    finally:
        stop_worker(process)


def all_final(market, timeout: float = 20.0) -> list[SyncJob]:
    market.wait_for(lambda: not SyncJob.objects.exclude(state__in=FINAL).exists(), timeout=timeout, interval=0.1)
    return list(SyncJob.objects.order_by("id"))


def new_order(market, connection):
    ticket = market.create_ticket("casa-lucia", kind="HOME_DELIVERY")
    return OrderFactory(restaurant=connection.restaurant, connection=connection, channel_order_id=ticket["ticket_id"])


def test_every_outbound_feature_reaches_the_market_through_a_worker(market, connection, worker):
    restaurant = connection.restaurant
    order = new_order(market, connection)
    ScheduleRangeFactory(restaurant=restaurant)
    item = SectionItemFactory(section__menu__restaurant=restaurant, product__restaurant=restaurant)
    option = OptionFactory(category__restaurant=restaurant)
    ProductOptionCategoryFactory(product=item.product, category=option.category)

    change_order_status(order, OrderStatus.ACCEPTED, prep_minutes=15)
    report_driver_location(order, "40.4168", "-3.7038", timezone.now())
    set_opening_hours(restaurant)
    pause_restaurant(restaurant, timezone.now() + timedelta(minutes=30), "kitchen overloaded")
    publish_catalog(restaurant)
    all_final(market)
    resume_restaurant(restaurant)
    snooze(option, timezone.now() + timedelta(hours=1))
    jobs = all_final(market)

    assert [(job.kind, job.state, job.last_error) for job in jobs if job.state != "succeeded"] == []
    assert market.log("casa-lucia", kind="state")[0]["payload"]["state"] == "CONFIRMED"
    assert len(market.log("casa-lucia", kind="courier_position")) == 1
    kinds = [entry["kind"] for entry in market.log("casa-lucia")]
    availability = [kind for kind in kinds if kind in ("opening_hours", "pause", "resume")]
    assert availability == ["opening_hours", "pause", "resume"]
    [upload] = market.log("casa-lucia", kind="menu")
    assert upload["payload"]["menu"]["menus"][0]["sections"][0]["items"][0]["plu"] == item.product.sku
    assert market.log("casa-lucia", kind="menu_item")[0]["payload"] == {"plu": option.sku, "available": False}


def test_an_outage_delays_jobs_which_all_succeed_after_it_in_order_and_once(market, connection, worker):
    restaurant = connection.restaurant
    orders = [new_order(market, connection) for _ in range(2)]
    market.add_fault(store_ref="casa-lucia", kind="http_500", count=3)
    market.add_fault(store_ref="casa-lucia", kind="timeout", count=1, delay=1.5)
    market.add_fault(store_ref="casa-lucia", kind="http_429", count=1, retry_after=1)

    set_opening_hours(restaurant)
    pause_restaurant(restaurant, timezone.now() + timedelta(minutes=30), "rush")
    for order in orders:
        change_order_status(order, OrderStatus.ACCEPTED)
    jobs = all_final(market, timeout=40)

    assert {job.state for job in jobs} == {SyncJob.State.SUCCEEDED}
    failures = ChannelCall.objects.exclude(outcome="ok")
    assert sorted(failures.values_list("status_code", flat=True), key=str) == [429, 500, 500, 500, None]
    assert sum(job.attempts for job in jobs) == len(jobs) + 5
    log = market.log("casa-lucia")
    assert [entry["kind"] for entry in log if entry["kind"] != "state"] == ["opening_hours", "pause"]
    states = market.log("casa-lucia", kind="state")
    assert sorted(entry["ticket_id"] for entry in states) == sorted(order.channel_order_id for order in orders)
    assert not any(entry["payload"].get("unchanged") for entry in states)


def test_a_4xx_fails_at_once_with_the_channels_message_and_staff_retry_it_after_the_fix(
    market, connection, worker, admin_client
):
    order = new_order(market, connection)
    connection.credentials = {"api_key": "wrong-key-0000", "webhook_secret": WEBHOOK_SECRET}
    connection.save()

    change_order_status(order, OrderStatus.ACCEPTED)
    [job] = all_final(market)
    assert job.state == SyncJob.State.FAILED and job.attempts == 1
    assert job.last_error == "missing or wrong X-Market-Key"

    connection.credentials = {"api_key": API_KEY, "webhook_secret": WEBHOOK_SECRET}
    connection.save()
    admin_client.post(reverse("admin:integrations_syncjob_changelist"),
                      {"action": "retry_now", "_selected_action": [job.pk]})
    [job] = all_final(market)

    assert job.state == SyncJob.State.SUCCEEDED and job.attempts == 2
    assert [entry["payload"]["state"] for entry in market.log("casa-lucia", kind="state")] == ["CONFIRMED"]


def api_calls(market) -> int:
    return market.stats()["stores"].get("casa-lucia", {}).get("api_calls", 0)


def test_a_worker_killed_mid_call_is_healed_within_seconds_and_the_market_sees_the_change_once(
    market, connection, transactional_db, purge_broker
):
    # the killed worker's lease (2 s, renewed while it lives) runs out seconds after its death, not minutes
    lease = {"OUTBOUND_LEASE_SECONDS": "2"}
    order = new_order(market, connection)
    market.add_fault(store_ref="casa-lucia", kind="timeout", count=1, delay=3)
    first = start_worker(extra_env={**FAST_ENV, **lease, "CHANNEL_READ_TIMEOUT": "10"})
    try:
        calls_before = api_calls(market)
        change_order_status(order, OrderStatus.ACCEPTED)
        market.wait_for(lambda: SyncAttempt.objects.exists(), timeout=10)
        # the worker is now waiting on the market's answer: the market has counted the call it is stalling
        market.wait_for(lambda: api_calls(market) > calls_before, timeout=10)
        first.kill()
        killed_at = time.monotonic()
    finally:
        stop_worker(first)
    job = SyncJob.objects.get()
    assert job.state == SyncJob.State.RUNNING and job.lease_until is not None
    assert sweeper.sweep_due_jobs()["reclaimed"] == 0  # its lease still runs: nobody else may take it yet

    second = start_worker(extra_env={**FAST_ENV, **lease})
    try:
        market.wait_for(lambda: sweeper.sweep_due_jobs()["reclaimed"] or SyncJob.objects.get().state != "running",
                        timeout=10, interval=0.2)
        handed_out_after = time.monotonic() - killed_at
        [job] = all_final(market)
    finally:
        stop_worker(second)

    assert handed_out_after < 4  # lease 2 s + the sweep's period here (0.2 s) + slack; production: 15 s + 10 s
    assert job.state == SyncJob.State.SUCCEEDED and job.attempts == 2
    assert list(job.attempt_rows.values_list("outcome", flat=True)) == ["retryable", "ok"]
    assert job.attempt_rows.first().error.startswith("interrupted")
    states = market.log("casa-lucia", kind="state")
    assert [(entry["payload"]["state"], entry["payload"].get("unchanged", False)) for entry in states] == [
        ("CONFIRMED", False)]
    assert market.get_ticket(order.channel_order_id)["state"] == "CONFIRMED"


def test_a_live_worker_keeps_its_job_however_long_the_channel_takes(market, connection, transactional_db, purge_broker):
    # lease 0.6 s, a call of 3 s: the worker renews it, so the sweeper never hands the job to a second runner
    order = new_order(market, connection)
    market.add_fault(store_ref="casa-lucia", kind="timeout", count=1, delay=3)
    worker = start_worker(extra_env={**FAST_ENV, "OUTBOUND_LEASE_SECONDS": "0.6", "CHANNEL_READ_TIMEOUT": "10"})
    try:
        change_order_status(order, OrderStatus.ACCEPTED)
        market.wait_for(lambda: SyncAttempt.objects.exists(), timeout=10)
        reclaimed = []
        while SyncJob.objects.get().state == SyncJob.State.RUNNING:
            reclaimed.append(sweeper.sweep_due_jobs()["reclaimed"])
            time.sleep(0.2)
        [job] = all_final(market)
    finally:
        stop_worker(worker)

    assert len(reclaimed) >= 5 and sum(reclaimed) == 0  # swept all through the slow call, never reclaimed
    first, second = job.attempt_rows.order_by("number")  # the market's stall ends in a retryable error
    assert (first.outcome, second.outcome) == ("retryable", "ok") and not first.error.startswith("interrupted")
    assert second.started_at >= first.started_at + timedelta(milliseconds=first.duration_ms)  # one at a time
    assert job.state == SyncJob.State.SUCCEEDED


def test_a_catalog_backlog_never_holds_up_an_order_status(market, connection, transactional_db, purge_broker):
    """The bulk queue has its own workers: with none running, an "accepted" still goes at once."""
    restaurant = connection.restaurant
    order = new_order(market, connection)
    SectionItemFactory(section__menu__restaurant=restaurant, product__restaurant=restaurant)
    ScheduleRangeFactory(restaurant=restaurant)
    urgent = start_worker(extra_env=FAST_ENV, queues=["celery", "inbound", "outbound_urgent"])
    try:
        publish_catalog(restaurant)
        set_opening_hours(restaurant)
        change_order_status(order, OrderStatus.ACCEPTED, prep_minutes=15)
        market.wait_for(
            lambda: SyncJob.objects.filter(kind=SyncJob.Kind.ORDER_STATUS, state=SyncJob.State.SUCCEEDED).exists(),
            timeout=20,
            interval=0.1,
        )
        waiting = SyncJob.objects.filter(kind__in=[SyncJob.Kind.CATALOG, SyncJob.Kind.OPENING_HOURS])
        assert set(waiting.values_list("state", flat=True)) == {SyncJob.State.PENDING}
        assert market.log("casa-lucia", kind="menu") == []
    finally:
        stop_worker(urgent)

    bulk = start_worker(extra_env=FAST_ENV, queues=["outbound_bulk"])
    try:
        jobs = all_final(market)
    finally:
        stop_worker(bulk)
    assert {(job.kind, job.state) for job in jobs} == {
        ("order_status", "succeeded"), ("catalog", "succeeded"), ("opening_hours", "succeeded")}
    assert len(market.log("casa-lucia", kind="menu")) == 1
