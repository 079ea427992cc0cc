"""apply_status: every request is history; only an allowed move changes the order."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import close_old_connections, connection
from django.utils import timezone

from orders.models import Order, OrderStatus, StatusChange, StatusSource
from orders.status import apply_status
from tests.factories.orders import OrderFactory, ReservationFactory

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 1, 10, 20, 0, tzinfo=dt.UTC)


def test_an_allowed_move_changes_the_order_and_is_recorded_as_applied():
    order = OrderFactory(status=OrderStatus.RECEIVED)

    change = apply_status(
        order,
        OrderStatus.ACCEPTED,
        source=StatusSource.CHANNEL,
        channel_status="ACK",
        channel_status_name="Acknowledged",
        occurred_at=T0,
        note="webhook 42",
    )

    order.refresh_from_db()
    assert (order.status, order.channel_status, order.channel_status_name) == ("accepted", "ACK", "Acknowledged")
    assert (change.from_status, change.to_status, change.applied, change.reason) == (
        "received",
        "accepted",
        True,
        "forward",
    )
    assert (change.channel_status, change.source, change.occurred_at) == ("ACK", "channel", T0)
    assert change.note == "webhook 42"
    assert change.recorded_at is not None


def test_a_stale_move_is_recorded_and_changes_nothing():
    order = OrderFactory(status=OrderStatus.PICKED_UP, channel_status="PICKED")

    change = apply_status(order, OrderStatus.READY, source=StatusSource.CHANNEL, channel_status="READY")

    order.refresh_from_db()
    assert (order.status, order.channel_status) == ("picked_up", "PICKED")
    assert (change.applied, change.reason) == (False, "stale: ready is behind picked_up")
    assert (change.from_status, change.to_status) == ("picked_up", "ready")


def test_the_same_status_twice_is_applied_once():
    order = OrderFactory(status=OrderStatus.ACCEPTED)

    first = apply_status(order, OrderStatus.READY, source=StatusSource.CHANNEL, channel_status="READY")
    second = apply_status(order, OrderStatus.READY, source=StatusSource.CHANNEL, channel_status="READY_AGAIN")

    order.refresh_from_db()
    assert (first.applied, first.reason) == (True, "skipped forward over preparing")
    assert (second.applied, second.reason) == (False, "same status")
    assert order.channel_status == "READY"
    assert order.status_changes.count() == 2


def test_nothing_leaves_a_final_order():
    order = OrderFactory(status=OrderStatus.DELIVERED)

    change = apply_status(order, OrderStatus.CANCELLED, source=StatusSource.STAFF)

    order.refresh_from_db()
    assert order.status == "delivered"
    assert (change.applied, change.reason) == (False, "order is final (delivered)")


def test_a_status_foreign_to_the_service_type_is_recorded_not_applied():
    reservation = ReservationFactory()

    change = apply_status(reservation, OrderStatus.PICKED_UP, source=StatusSource.CHANNEL)

    reservation.refresh_from_db()
    assert reservation.status == "requested"
    assert (change.applied, change.reason) == (False, "picked_up is not a status for reservations")


def test_a_reservation_walks_its_flow():
    reservation = ReservationFactory()

    reasons = [
        apply_status(reservation, target, source=StatusSource.STAFF).reason
        for target in ("confirmed", "seated", "confirmed", "completed", "no_show")
    ]

    reservation.refresh_from_db()
    assert reservation.status == "completed"
    assert reasons == [
        "forward",
        "skipped forward over arrived",  # most guests are seated without being marked arrived first
        "stale: confirmed is behind seated",
        "forward",
        "reservation is final (completed)",
    ]
    assert list(reservation.status_changes.values_list("applied", flat=True)) == [True, True, False, True, False]


def test_the_callers_instance_sees_the_new_status():
    order = OrderFactory(status=OrderStatus.RECEIVED)

    apply_status(order, OrderStatus.ACCEPTED, source=StatusSource.POS)

    assert order.status == "accepted"


def test_a_forward_move_that_happened_earlier_than_the_last_one_is_still_news():
    order = OrderFactory(status=OrderStatus.RECEIVED)
    apply_status(order, OrderStatus.ACCEPTED, source=StatusSource.CHANNEL, occurred_at=T0)

    earlier = T0 - dt.timedelta(minutes=5)

    late = apply_status(order, OrderStatus.PREPARING, source=StatusSource.CHANNEL, occurred_at=earlier)

    assert late.applied
    assert Order.objects.get(pk=order.pk).status == "preparing"


def test_occurred_at_defaults_to_now():
    before = timezone.now()

    change = apply_status(OrderFactory(), OrderStatus.ACCEPTED, source=StatusSource.SYSTEM)

    assert before <= change.occurred_at <= timezone.now()


def test_channel_news_advances_last_channel_update_even_when_not_applied():
    order = OrderFactory(status=OrderStatus.READY)

    apply_status(order, OrderStatus.ACCEPTED, source=StatusSource.CHANNEL, occurred_at=T0)
    apply_status(order, OrderStatus.READY, source=StatusSource.RECONCILIATION, occurred_at=T0 + dt.timedelta(minutes=1))
    apply_status(order, OrderStatus.READY, source=StatusSource.CHANNEL, occurred_at=T0 - dt.timedelta(minutes=9))

    order.refresh_from_db()
    assert order.status == "ready"
    assert order.last_channel_update_at == T0 + dt.timedelta(minutes=1)


@pytest.mark.parametrize("source", [StatusSource.POS, StatusSource.STAFF, StatusSource.SYSTEM])
def test_our_own_moves_are_not_channel_news(source):
    order = OrderFactory()

    apply_status(order, OrderStatus.ACCEPTED, source=source, occurred_at=T0)

    order.refresh_from_db()
    assert order.last_channel_update_at is None


def test_history_keeps_every_request_in_order():
    order = OrderFactory()
    for target in ("accepted", "accepted", "received", "ready", "rejected", "delivered"):
        apply_status(order, target, source=StatusSource.CHANNEL)

    rows = list(StatusChange.objects.filter(order=order).values_list("from_status", "to_status", "applied"))

    assert rows == [
        ("received", "accepted", True),
        ("accepted", "accepted", False),
        ("accepted", "received", False),
        ("accepted", "ready", True),
        ("ready", "rejected", False),
        ("ready", "delivered", True),
    ]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are real on PostgreSQL only")
def test_two_workers_racing_on_the_same_status_apply_it_once():
    order = OrderFactory(status=OrderStatus.ACCEPTED)
    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait()
            apply_status(Order.objects.get(pk=order.pk), OrderStatus.READY, source=StatusSource.CHANNEL)
        except BaseException as exc:  # surfaced below; a thread swallows it otherwise
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert list(order.status_changes.values_list("applied", flat=True).order_by("applied")) == [
        False,
        False,
        False,
        True,
    ]
