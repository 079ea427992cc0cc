"""Orders as rows: identity, shape, and what the factories build."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from integrations.models import Channel, Connection
from orders.models import Order, OrderStatus
from tests.factories.orders import (
    DeliveryFactory,
    DriverLocationFactory,
    OptionLineFactory,
    OrderFactory,
    OrderLineFactory,
    PaymentFactory,
    ReservationFactory,
    StatusChangeFactory,
)
from tests.factories.restaurants import RestaurantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def connection():
    restaurant = RestaurantFactory()
    channel = Channel.objects.create(name="Sandbox Market ES", module="sandbox_market")
    return Connection.objects.create(restaurant=restaurant, channel=channel, store_id="store-1")


def test_a_channel_order_id_is_unique_per_connection(connection):
    OrderFactory(restaurant=connection.restaurant, connection=connection, channel_order_id="gb:1234")

    with pytest.raises(IntegrityError), transaction.atomic():
        OrderFactory(restaurant=connection.restaurant, connection=connection, channel_order_id="gb:1234")


def test_the_same_channel_order_id_may_exist_on_another_connection(connection):
    other_channel = Channel.objects.create(name="Other Market", module="sandbox_market")
    other = Connection.objects.create(restaurant=connection.restaurant, channel=other_channel, store_id="store-1")

    OrderFactory(restaurant=connection.restaurant, connection=connection, channel_order_id="gb:1234")
    OrderFactory(restaurant=connection.restaurant, connection=other, channel_order_id="gb:1234")

    assert Order.objects.filter(channel_order_id="gb:1234").count() == 2


def test_orders_without_a_connection_do_not_collide():
    OrderFactory(channel_order_id="")
    OrderFactory(channel_order_id="")

    assert Order.objects.filter(connection=None).count() == 2


def test_display_code_is_not_unique(connection):
    OrderFactory(connection=connection, restaurant=connection.restaurant, display_code="A12")
    OrderFactory(connection=connection, restaurant=connection.restaurant, display_code="A12")

    assert Order.objects.filter(display_code="A12").count() == 2


def test_a_connection_with_orders_cannot_be_deleted(connection):
    OrderFactory(restaurant=connection.restaurant, connection=connection)

    with pytest.raises(ProtectedError):
        connection.delete()


def test_is_scheduled():
    assert not OrderFactory(scheduled_for=None).is_scheduled
    assert OrderFactory(scheduled_for=timezone.now() + dt.timedelta(hours=2)).is_scheduled


@pytest.mark.parametrize(
    ("service_type", "status", "final"),
    [("collection", "picked_up", True), ("delivery", "picked_up", False), ("insitu", "delivered", True)],
)
def test_order_is_final_follows_its_flow(service_type, status, final):
    assert OrderFactory(service_type=service_type, status=status).is_final is final


def test_reservation_factory_builds_a_reservation():
    reservation = ReservationFactory()

    assert reservation.is_reservation
    assert reservation.status == OrderStatus.REQUESTED
    assert reservation.diners == 4
    assert reservation.reservation_at > timezone.now()


def test_option_lines_hang_under_their_product_line():
    pizza = OrderLineFactory()
    cheese = OptionLineFactory(parent=pizza)

    assert cheese.order == pizza.order
    assert list(pizza.options.all()) == [cheese]
    assert set(pizza.order.lines.all()) == {pizza, cheese}


def test_every_factory_builds_a_saved_row():
    order = OrderFactory()
    rows = [
        PaymentFactory(order=order),
        DeliveryFactory(order=order),
        DriverLocationFactory(order=order),
        StatusChangeFactory(order=order),
        OrderLineFactory(order=order),
    ]

    assert order.connection is None
    assert all(row.pk for row in rows)
    assert all(str(row) for row in [order, *rows])


def test_history_cannot_be_edited():
    change = StatusChangeFactory()
    change.reason = "rewritten"

    with pytest.raises(ValueError, match="never edited"):
        change.save()
