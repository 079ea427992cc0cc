"""The runner against the Sandbox Market, in this process: retries, circuit, deadline, lanes, coalescing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from integrations.models import ChannelCall, Connection, SyncAttempt, SyncJob
from integrations.outbound import runner, sweeper
from integrations.outbound.services import change_order_status, pause_restaurant
from orders.models import OrderStatus
from tests.factories.orders import OrderFactory

from .conftest import API_KEY, drain

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(market, connection):
    ticket = market.create_ticket("casa-lucia", kind="HOME_DELIVERY")
    return OrderFactory(restaurant=connection.restaurant, connection=connection, channel_order_id=ticket["ticket_id"])


def test_500s_are_retried_with_backoff_until_the_channel_recovers(market, order, enqueued):
    market.add_fault(store_ref="casa-lucia", kind="http_500", count=2)

    change_order_status(order, OrderStatus.ACCEPTED)
    outcomes = drain()

    job = SyncJob.objects.get()
    assert outcomes == ["retrying", "retrying", "succeeded"] and job.state == SyncJob.State.SUCCEEDED
    assert list(job.attempt_rows.values_list("outcome", "status_code")) == [
        ("retryable", 500), ("retryable", 500), ("ok", None)]
    assert 0 < enqueued[1][1] <= 1.0  # the retry was handed to the broker with its backoff as countdown
    assert len(market.log("casa-lucia", kind="state")) == 1


def test_429_waits_at_least_retry_after(market, order, enqueued):
    market.add_fault(store_ref="casa-lucia", kind="http_429", count=1, retry_after=1)

    change_order_status(order, OrderStatus.ACCEPTED)
    runner.run_sync_job(SyncJob.objects.get().pk)

    job = SyncJob.objects.get()
    assert job.state == SyncJob.State.PENDING
    assert (job.next_attempt_at - timezone.now()).total_seconds() > 0.8


def test_a_4xx_fails_at_once_with_the_channels_message(market, order, enqueued):
    change_order_status(order, OrderStatus.ACCEPTED)
    market.change_state(order.channel_order_id, "VOIDED", reason="customer left")

    assert drain() == ["failed"]

    job = SyncJob.objects.get()
    assert job.state == SyncJob.State.FAILED and job.attempts == 1
    assert "cannot go from VOIDED to CONFIRMED" in job.last_error


def test_retries_are_bounded_by_max_attempts(market, order, enqueued, settings):
    settings.OUTBOUND_MAX_ATTEMPTS = 3
    market.add_fault(store_ref="casa-lucia", kind="http_500", count=10)

    change_order_status(order, OrderStatus.ACCEPTED)
    drain()

    job = SyncJob.objects.get()
    assert job.state == SyncJob.State.FAILED and job.attempts == 3
    assert job.last_error.startswith("gave up after 3 attempts")


def test_an_accept_that_is_too_late_is_failed_with_that_reason(market, connection, enqueued):
    ticket = market.create_ticket("casa-lucia", kind="HOME_DELIVERY")
    late = OrderFactory(
        restaurant=connection.restaurant, connection=connection, channel_order_id=ticket["ticket_id"],
        placed_at=timezone.now() - timedelta(minutes=11),
    )

    change_order_status(late, OrderStatus.ACCEPTED)
    drain()

    job = SyncJob.objects.get()
    assert job.state == SyncJob.State.FAILED
    assert job.last_error == "too late: the channel wanted accepted within 10 min (the market voids the order)"
    assert not ChannelCall.objects.exists()


def test_the_circuit_opens_after_consecutive_failures_and_a_success_closes_it(market, order, enqueued, settings):
    settings.OUTBOUND_CIRCUIT_FAILURES = 2
    market.add_fault(store_ref="casa-lucia", kind="http_500", count=2)
    change_order_status(order, OrderStatus.ACCEPTED)
    job = SyncJob.objects.get()

    runner.run_sync_job(job.pk)
    SyncJob.objects.filter(pk=job.pk).update(next_attempt_at=timezone.now())
    runner.run_sync_job(job.pk)
    connection = Connection.objects.get()
    assert connection.circuit_is_open()

    SyncJob.objects.filter(pk=job.pk).update(next_attempt_at=timezone.now())
    assert runner.run_sync_job(job.pk) == "waiting"  # no call while open
    assert ChannelCall.objects.count() == 2

    drain()
    connection.refresh_from_db()
    assert not connection.circuit_is_open() and connection.consecutive_failures == 0
    assert SyncJob.objects.get().state == SyncJob.State.SUCCEEDED


def test_a_newer_status_supersedes_a_pending_older_one_where_only_the_latest_matters(market, order, enqueued):
    change_order_status(order, OrderStatus.ACCEPTED, prep_minutes=10)
    accept = SyncJob.objects.get()
    change_order_status(order, OrderStatus.READY)
    drain()

    assert SyncJob.objects.get(pk=accept.pk).state == SyncJob.State.SUPERSEDED  # the Sandbox wants only the latest
    assert [entry["payload"]["state"] for entry in market.log("casa-lucia", kind="state")] == ["READY"]


def test_a_newer_status_waits_behind_a_running_older_one(market, order, enqueued):
    change_order_status(order, OrderStatus.ACCEPTED)
    accept = SyncJob.objects.get()
    SyncJob.objects.filter(pk=accept.pk).update(state=SyncJob.State.RUNNING, started_at=timezone.now())
    change_order_status(order, OrderStatus.PREPARING)
    preparing = SyncJob.objects.exclude(pk=accept.pk).get()

    assert runner.run_sync_job(preparing.pk) == "waiting"
    assert SyncJob.objects.get(pk=preparing.pk).result["waiting"] == f"waiting for job {accept.pk}"
    assert market.log("casa-lucia", kind="state") == []


def test_every_step_is_sent_in_order_for_a_channel_that_needs_every_step(market, connection, enqueued, settings):
    settings.SINQRO_EXTRA_CHANNEL_MODULES = ["tests.outbound.modules.EveryStepMarket"]
    connection.channel.module = "every_step_market"
    connection.channel.save()
    ticket = market.create_ticket("casa-lucia", kind="HOME_DELIVERY")
    order = OrderFactory(restaurant=connection.restaurant, connection=connection, channel_order_id=ticket["ticket_id"])
    market.add_fault(store_ref="casa-lucia", kind="http_500", count=1)

    for status in (OrderStatus.ACCEPTED, OrderStatus.PREPARING, OrderStatus.READY):
        change_order_status(order, status)
    drain()

    assert [entry["payload"]["state"] for entry in market.log("casa-lucia", kind="state")] == [
        "CONFIRMED", "IN_KITCHEN", "READY"]
    assert set(SyncJob.objects.values_list("state", flat=True)) == {SyncJob.State.SUCCEEDED}


def test_the_sweeper_reclaims_a_job_a_dead_worker_left_running(market, order, enqueued, settings):
    settings.OUTBOUND_RUNNING_TIMEOUT_SECONDS = 60
    change_order_status(order, OrderStatus.ACCEPTED)
    job = SyncJob.objects.get()
    SyncJob.objects.filter(pk=job.pk).update(
        state=SyncJob.State.RUNNING, started_at=timezone.now() - timedelta(minutes=5), attempts=1
    )
    SyncAttempt.objects.create(job=job, number=1, outcome="retryable", error=runner.INTERRUPTED)

    report = sweeper.sweep_due_jobs()
    drain()

    assert report["reclaimed"] == 1 and (job.pk, None) in enqueued
    job.refresh_from_db()
    assert job.state == SyncJob.State.SUCCEEDED and job.attempts == 2
    # The retry looked at the channel first, then posted once.
    assert list(ChannelCall.objects.order_by("id").values_list("operation", flat=True)) == [
        "get_order_status", "set_order_status"]


def test_a_late_result_of_a_reclaimed_claim_changes_nothing(market, connection, enqueued):
    pause_restaurant(connection.restaurant, None, "closed")
    job = SyncJob.objects.get()
    from integrations.outbound import claims

    stale = claims.claim(job.pk)
    SyncJob.objects.filter(pk=job.pk).update(started_at=timezone.now() + timedelta(seconds=1))  # re-claimed

    assert claims.finish(stale, SyncJob.State.SUCCEEDED) is False
    assert SyncJob.objects.get().state == SyncJob.State.RUNNING


def test_a_retry_after_a_crash_that_had_reached_the_channel_does_not_post_again(market, order, enqueued):
    change_order_status(order, OrderStatus.ACCEPTED)
    job = SyncJob.objects.get()
    # The first attempt's POST arrived, then the worker died before recording the answer.
    market.api("POST", "casa-lucia", f"/tickets/{order.channel_order_id}/state", API_KEY, {"state": "CONFIRMED"})
    SyncJob.objects.filter(pk=job.pk).update(attempts=1)

    drain()

    job.refresh_from_db()
    assert job.state == SyncJob.State.SUCCEEDED and job.result == {"already_on_channel": "CONFIRMED"}
    assert len(market.log("casa-lucia", kind="state")) == 1  # only the crashed attempt's post
    assert list(ChannelCall.objects.values_list("operation", flat=True)) == ["get_order_status"]
