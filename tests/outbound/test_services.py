"""Each service changes the domain and writes one job per connection that must hear about it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from integrations.models import ChannelCall, SyncAttempt, SyncJob
from integrations.outbound.services import (
    change_order_status,
    pause_restaurant,
    report_driver_location,
    resume_restaurant,
    set_opening_hours,
)
from orders.models import OrderStatus
from restaurants.models import Pause
from tests.factories.integrations import ChannelFactory, ConnectionFactory
from tests.factories.orders import DeliveryFactory, OrderFactory
from tests.factories.restaurants import CalendarExceptionFactory, ScheduleRangeFactory

from .conftest import drain

pytestmark = pytest.mark.django_db


def order_on_market(market, connection, **fields):
    ticket = market.create_ticket(connection.store_id, kind="HOME_DELIVERY")
    return OrderFactory(
        restaurant=connection.restaurant, connection=connection, channel_order_id=ticket["ticket_id"], **fields
    )


def test_accept_reaches_the_market_with_prep_time_and_links_its_calls(market, connection, enqueued):
    order = order_on_market(market, connection)

    change = change_order_status(order, OrderStatus.ACCEPTED, prep_minutes=20)
    assert drain() == ["succeeded"]

    assert change.applied and order.status == OrderStatus.ACCEPTED
    [entry] = market.log("casa-lucia", kind="state")
    assert entry["payload"]["state"] == "CONFIRMED" and entry["payload"]["prep_minutes"] == 20
    job = SyncJob.objects.get()
    assert job.state == SyncJob.State.SUCCEEDED and job.attempts == 1
    attempt = SyncAttempt.objects.get(job=job)
    assert attempt.outcome == SyncAttempt.Outcome.OK and attempt.error == ""
    assert [call.operation for call in ChannelCall.objects.filter(sync_attempt=attempt)] == ["set_order_status"]
    assert job.deadline_at == order.placed_at + timedelta(minutes=10)


def test_a_reject_without_reason_is_refused_before_anything_is_written(market, connection, enqueued):
    order = order_on_market(market, connection)

    with pytest.raises(ValueError, match="needs a reason"):
        change_order_status(order, OrderStatus.REJECTED)

    order.refresh_from_db()
    assert order.status == OrderStatus.RECEIVED and not SyncJob.objects.exists()


def test_a_move_the_state_machine_refuses_writes_no_job(market, connection, enqueued):
    order = order_on_market(market, connection, status=OrderStatus.DELIVERED)

    change = change_order_status(order, OrderStatus.READY)

    assert not change.applied and not SyncJob.objects.exists()


def test_an_order_of_our_own_or_a_module_without_the_feature_gets_no_job(enqueued, settings):
    settings.SINQRO_EXTRA_CHANNEL_MODULES = ["tests.outbound.modules.StatusBlindMarket"]
    own = OrderFactory()
    blind = ConnectionFactory(channel=ChannelFactory(module="status_blind_market"))
    channel_order = OrderFactory(restaurant=blind.restaurant, connection=blind)

    change_order_status(own, OrderStatus.ACCEPTED)
    change_order_status(channel_order, OrderStatus.ACCEPTED)

    assert not SyncJob.objects.exists()


def test_driver_location_is_stored_and_reaches_the_market(market, connection, enqueued):
    order = order_on_market(market, connection)
    DeliveryFactory(order=order, by_restaurant=True)

    report_driver_location(order, "40.4168", "-3.7038", timezone.now())
    drain()

    assert order.driver_locations.count() == 1
    [entry] = market.log("casa-lucia", kind="courier_position")
    assert entry["payload"]["lat"] == pytest.approx(40.4168)


def test_newer_locations_supersede_a_pending_older_one(market, connection, enqueued):
    order = order_on_market(market, connection)
    now = timezone.now()

    for seconds in range(3):
        report_driver_location(order, "40.41", "-3.70", now + timedelta(seconds=seconds))

    states = list(SyncJob.objects.order_by("id").values_list("state", flat=True))
    assert states == [SyncJob.State.SUPERSEDED, SyncJob.State.SUPERSEDED, SyncJob.State.PENDING]
    drain()
    assert len(market.log("casa-lucia", kind="courier_position")) == 1


def test_opening_hours_pause_and_resume_reach_the_market_in_order(market, connection, enqueued):
    restaurant = connection.restaurant
    ScheduleRangeFactory(restaurant=restaurant)
    CalendarExceptionFactory(restaurant=restaurant, starts_at=timezone.now() + timedelta(days=1))

    set_opening_hours(restaurant)
    pause_restaurant(restaurant, timezone.now() + timedelta(minutes=30), "kitchen overloaded")
    drain()
    resume_restaurant(restaurant)
    drain()

    assert Pause.objects.get().resumed_at is not None
    assert [entry["kind"] for entry in market.log("casa-lucia")] == ["opening_hours", "pause", "resume"]
    assert len(market.log("casa-lucia", kind="opening_hours")[0]["payload"]["weekly"]) == 7


def test_a_resume_supersedes_its_pending_pause_but_not_the_pending_hours(connection, enqueued):
    restaurant = connection.restaurant

    set_opening_hours(restaurant)
    pause_restaurant(restaurant, None, "closing early")
    resume_restaurant(restaurant)

    assert list(SyncJob.objects.order_by("id").values_list("kind", "state")) == [
        (SyncJob.Kind.OPENING_HOURS, SyncJob.State.PENDING),
        (SyncJob.Kind.PAUSE, SyncJob.State.SUPERSEDED),
        (SyncJob.Kind.RESUME, SyncJob.State.PENDING),
    ]


def test_a_disabled_connection_hears_nothing(enqueued):
    connection = ConnectionFactory(enabled=False)

    set_opening_hours(connection.restaurant)
    pause_restaurant(connection.restaurant, None, "closed")

    assert not SyncJob.objects.exists()
