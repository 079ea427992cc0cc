"""The channel door: what a channel says reaches an order once, forward only, with its trace in the history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from canonical import OrderRef, ServiceType
from orders.channel_door import (
    ChannelLink,
    can_be_accepted,
    find_order,
    order_ref,
    stamp_channel_news,
    take_channel_status,
    take_order,
)
from orders.models import Order, OrderStatus, StatusChange, StatusSource
from tests.factories.integrations import ConnectionFactory
from tests.factories.orders import OrderFactory, ReservationFactory, canonical_order
from tests.inbound.test_concurrency import all_at_once

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 1, 10, 20, 0, tzinfo=dt.UTC)


@pytest.fixture
def link() -> ChannelLink:
    connection = ConnectionFactory()
    return ChannelLink(connection_id=connection.pk, restaurant_id=connection.restaurant_id)


def test_a_new_canonical_order_is_created_on_its_connection_with_its_arrival_in_the_history(link):
    order, created = take_order(link, canonical_order(), correlation_id="evt-1", occurred_at=T0)

    assert created
    assert (order.connection_id, order.restaurant_id, order.channel_order_id) == (
        link.connection_id, link.restaurant_id, "CH-0001")
    assert (order.status, order.last_channel_update_at, order.correlation_id) == (OrderStatus.RECEIVED, T0, "evt-1")
    assert order.lines.get().sku == "PIZ-1"
    arrival = order.status_changes.get()
    assert (arrival.source, arrival.to_status, arrival.correlation_id) == (StatusSource.CHANNEL, "received", "evt-1")
    assert find_order(link.connection_id, "CH-0001") == order
    assert find_order(link.connection_id, "CH-0002") is None


def test_news_on_an_existing_order_moves_its_status_and_leaves_its_content(link):
    order, _ = take_order(link, canonical_order(), correlation_id="evt-1")

    again, created = take_order(
        link,
        canonical_order(status=OrderStatus.ACCEPTED, channel_status="CONFIRMED", customer={"name": "Someone else"}),
        correlation_id="evt-2",
    )

    assert not created and again.pk == order.pk
    again.refresh_from_db()
    assert (again.status, again.channel_status) == (OrderStatus.ACCEPTED, "CONFIRMED")
    assert again.customer_name == order.customer_name and again.lines.count() == 1
    assert Order.objects.count() == 1
    assert list(again.status_changes.values_list("to_status", "applied", "correlation_id")) == [
        ("received", True, "evt-1"), ("accepted", True, "evt-2")]


def test_a_stale_snapshot_of_an_existing_order_leaves_no_history_row(link):
    order, _ = take_order(link, canonical_order(status=OrderStatus.PREPARING))

    take_order(link, canonical_order(status=OrderStatus.ACCEPTED), correlation_id="late-fetch")

    order.refresh_from_db()
    assert order.status == OrderStatus.PREPARING
    assert not order.status_changes.filter(correlation_id="late-fetch").exists()


def test_a_forward_status_is_applied_once():
    order = OrderFactory(status=OrderStatus.RECEIVED)

    first = take_channel_status(order, OrderStatus.ACCEPTED, channel_status="CONFIRMED", correlation_id="evt-1")
    second = take_channel_status(order, OrderStatus.ACCEPTED, channel_status="CONFIRMED", correlation_id="evt-2")

    order.refresh_from_db()
    assert order.status == OrderStatus.ACCEPTED
    assert first is not None and first.applied
    assert second is not None and not second.applied  # a webhook's repeat is a trace, not a move
    assert order.status_changes.filter(applied=True).count() == 1


def test_a_stale_status_is_recorded_and_not_applied():
    order = OrderFactory(status=OrderStatus.PICKED_UP, channel_status="PICKED")

    change = take_channel_status(order, OrderStatus.READY, channel_status="READY", occurred_at=T0)

    order.refresh_from_db()
    assert (order.status, order.channel_status) == (OrderStatus.PICKED_UP, "PICKED")
    assert change is not None
    assert (change.applied, change.reason, change.source) == (False, "stale: ready is behind picked_up", "channel")
    assert order.last_channel_update_at == T0  # not a move, still news


def test_a_stale_status_from_a_poll_leaves_no_row():
    order = OrderFactory(status=OrderStatus.PICKED_UP)

    change = take_channel_status(
        order, OrderStatus.READY, source=StatusSource.RECONCILIATION, correlation_id="c0ffee", record_stale=False
    )

    assert change is None
    assert not StatusChange.objects.exists()


def test_a_duplicate_correlation_id_is_ignored():
    order = OrderFactory(status=OrderStatus.RECEIVED)
    take_channel_status(order, OrderStatus.PREPARING, channel_status="IN_KITCHEN", correlation_id="evt-1")

    again = take_channel_status(order, OrderStatus.PREPARING, channel_status="IN_KITCHEN", correlation_id="evt-1")

    assert again is None
    assert order.status_changes.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are real on PostgreSQL only")
def test_one_report_taken_by_four_workers_at_once_leaves_one_row():
    order = OrderFactory(status=OrderStatus.RECEIVED)

    def take() -> StatusChange | None:
        return take_channel_status(Order.objects.get(pk=order.pk), OrderStatus.ACCEPTED, correlation_id="evt-1")

    results = all_at_once([take] * 4)

    assert not [result for result in results if isinstance(result, BaseException)], results
    assert list(order.status_changes.values_list("to_status", "applied")) == [("accepted", True)]


def test_the_same_correlation_id_from_another_source_is_taken():
    order = OrderFactory(status=OrderStatus.RECEIVED)
    take_channel_status(order, OrderStatus.ACCEPTED, correlation_id="c0ffee")

    change = take_channel_status(order, OrderStatus.READY, source=StatusSource.RECONCILIATION, correlation_id="c0ffee")

    assert change is not None and change.applied and change.source == StatusSource.RECONCILIATION


def test_a_status_with_no_canonical_meaning_moves_nothing_but_is_news():
    order = OrderFactory(status=OrderStatus.ACCEPTED)

    assert take_channel_status(order, None, channel_status="COURIER_WAVED", occurred_at=T0) is None

    order.refresh_from_db()
    assert (order.status, order.last_channel_update_at) == (OrderStatus.ACCEPTED, T0)
    assert not order.status_changes.exists()


def test_news_is_stamped_forward_only():
    order = OrderFactory(last_channel_update_at=T0)

    stamp_channel_news(order, T0 - dt.timedelta(minutes=5))
    order.refresh_from_db()
    assert order.last_channel_update_at == T0

    stamp_channel_news(order, T0 + dt.timedelta(minutes=5))
    order.refresh_from_db()
    assert order.last_channel_update_at == T0 + dt.timedelta(minutes=5)


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda: OrderFactory(status=OrderStatus.RECEIVED), True),
        (lambda: OrderFactory(status=OrderStatus.ACCEPTED), False),
        (lambda: OrderFactory(status=OrderStatus.RECEIVED, service_type=ServiceType.COLLECTION), True),
        (lambda: ReservationFactory(), False),
    ],
    ids=["received", "accepted", "collection", "reservation"],
)
def test_only_a_received_order_can_be_accepted(make, expected):
    assert can_be_accepted(make()) is expected


@pytest.mark.parametrize(
    "make",
    [
        lambda: OrderFactory(channel_order_id="CH-1", display_code="B7"),
        lambda: OrderFactory(channel_order_id="CH-2", display_code="C8", service_type=ServiceType.COLLECTION),
        lambda: ReservationFactory(channel_order_id="CH-3", display_code=""),
    ],
    ids=["delivery", "collection", "reservation"],
)
def test_order_ref_addresses_the_order_on_its_channel(make):
    order = make()

    ref = order_ref(order)

    assert ref == OrderRef(
        channel_order_id=order.channel_order_id, service_type=order.service_type, display_code=order.display_code,
        our_reference=f"SQ-{order.pk}", scheduled=order.is_scheduled,
    )
    assert ref.service_type is ServiceType(order.service_type)
    assert ref.is_reservation == (order.service_type == ServiceType.RESERVATION)
