"""Auto-accept: a new order on a connection with auto_accept is accepted at once, with the default prep time."""

from __future__ import annotations

import pytest

from integrations.models import SyncJob
from integrations.outbound.auto_accept import auto_accept_if_enabled
from orders.models import OrderStatus, StatusChange
from tests.factories.integrations import ConnectionFactory
from tests.factories.orders import OrderFactory, ReservationFactory

pytestmark = pytest.mark.django_db


def test_a_new_order_is_accepted_with_the_connections_prep_time(enqueued):
    connection = ConnectionFactory(auto_accept=True, auto_accept_prep_minutes=25)
    order = OrderFactory(restaurant=connection.restaurant, connection=connection)

    auto_accept_if_enabled(order)

    order.refresh_from_db()
    assert order.status == OrderStatus.ACCEPTED
    assert StatusChange.objects.get().source == "system"
    assert SyncJob.objects.get().payload["update"]["prep_minutes"] == 25


@pytest.mark.parametrize(
    "make",
    [
        lambda c: OrderFactory(restaurant=c.restaurant, connection=c, status=OrderStatus.ACCEPTED),
        lambda c: ReservationFactory(restaurant=c.restaurant, connection=c),
    ],
    ids=["already-accepted", "reservation"],
)
def test_orders_past_received_and_reservations_are_left_alone(make, enqueued):
    order = make(ConnectionFactory(auto_accept=True))

    assert auto_accept_if_enabled(order) is None
    assert not SyncJob.objects.exists()


def test_nothing_happens_without_auto_accept(enqueued):
    connection = ConnectionFactory(auto_accept=False)

    assert auto_accept_if_enabled(OrderFactory(restaurant=connection.restaurant, connection=connection)) is None
