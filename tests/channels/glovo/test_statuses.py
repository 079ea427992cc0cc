"""Glovo takes each status only for the fulfilment it documents (docs/OrderStatus.md, 3P copy; glovo.md §4.13).

READY_FOR_PICKUP: "Only available for orders delivered by Glovo couriers"; OUT_FOR_DELIVERY: "Only available for
Marketplace orders" (the restaurant's own rider); PICKED_UP_BY_CUSTOMER: "Only available for orders to be picked
up by the customer". A status Glovo does not take for the order is not queued for it.
"""

from __future__ import annotations

import pytest

from integrations.models import SyncJob
from integrations.outbound.services import change_order_status
from orders.models import OrderStatus
from tests.factories.integrations import ChannelFactory, ConnectionFactory
from tests.factories.orders import DeliveryFactory, OrderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def connection():
    return ConnectionFactory(channel=ChannelFactory(module="glovo"), store_id="glovo-store",
                             credentials={"api_token": "glovo-api-token", "webhook_token": "glovo-hook-token"})


def delivery(connection, status: str, *, by_restaurant: bool | None):
    order = OrderFactory(restaurant=connection.restaurant, connection=connection, status=status)
    if by_restaurant is not None:
        DeliveryFactory(order=order, by_restaurant=by_restaurant)
    return order


def queued(order) -> list[str]:
    return [job.payload["update"]["status"] for job in SyncJob.objects.filter(order_id=order.pk).order_by("pk")]


def test_ready_is_sent_for_an_order_a_glovo_courier_delivers(connection):
    order = delivery(connection, OrderStatus.ACCEPTED, by_restaurant=False)

    change_order_status(order, OrderStatus.READY)

    assert queued(order) == ["ready"]


def test_ready_is_not_sent_for_an_order_the_restaurant_delivers(connection):
    order = delivery(connection, OrderStatus.ACCEPTED, by_restaurant=True)

    change = change_order_status(order, OrderStatus.READY)

    assert change.applied and queued(order) == []


def test_out_for_delivery_is_sent_when_the_restaurants_own_rider_leaves(connection):
    order = delivery(connection, OrderStatus.READY, by_restaurant=True)

    change_order_status(order, OrderStatus.PICKED_UP)

    assert queued(order) == ["picked_up"]


def test_out_for_delivery_is_not_sent_when_a_glovo_courier_collects(connection):
    order = delivery(connection, OrderStatus.READY, by_restaurant=False)

    change = change_order_status(order, OrderStatus.PICKED_UP)

    assert change.applied and queued(order) == []


def test_a_delivery_whose_courier_is_not_known_is_told_anyway_and_glovo_answers(connection):
    order = delivery(connection, OrderStatus.ACCEPTED, by_restaurant=None)

    change_order_status(order, OrderStatus.READY)

    assert queued(order) == ["ready"]
