"""Support staff's admin pages for orders render, and history stays read-only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from integrations.models import Channel, Connection
from orders.admin import LAST_DRIVER_LOCATIONS
from orders.models import OrderStatus, StatusSource
from orders.status import apply_status
from tests.factories.orders import (
    DeliveryFactory,
    DriverLocationFactory,
    OptionLineFactory,
    OrderFactory,
    OrderLineFactory,
    PaymentFactory,
    ReservationFactory,
)
from tests.factories.restaurants import RestaurantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def order():
    restaurant = RestaurantFactory()
    channel = Channel.objects.create(name="Sandbox Market ES", module="sandbox_market")
    connection = Connection.objects.create(restaurant=restaurant, channel=channel, store_id="store-1")
    order = OrderFactory(restaurant=restaurant, connection=connection, display_code="A42", customer_name="Lola")
    pizza = OrderLineFactory(order=order, name="Pizza", unit_price=Decimal("12.50"), quantity=2)
    OptionLineFactory(parent=pizza, name="Extra cheese")
    PaymentFactory(order=order, amount=Decimal("26.50"))
    DeliveryFactory(order=order, by_restaurant=True)
    now = timezone.now()
    for minutes in range(LAST_DRIVER_LOCATIONS + 5):
        DriverLocationFactory(order=order, recorded_at=now - dt.timedelta(minutes=minutes))
    apply_status(order, OrderStatus.ACCEPTED, source=StatusSource.CHANNEL)
    apply_status(order, OrderStatus.RECEIVED, source=StatusSource.CHANNEL)  # stale, recorded
    order.recalculate_totals()
    return order


@pytest.mark.parametrize(
    "query",
    ["", "?q=A42", "?q=Lola", "?status__exact=accepted", "?service_type__exact=delivery", "?needs_attention__exact=1"],
)
def test_order_changelist_renders(admin_client, order, query):
    ReservationFactory()

    response = admin_client.get(reverse("admin:orders_order_changelist") + query)

    assert response.status_code == 200


def test_order_changelist_queries_do_not_grow_with_orders(admin_client, order, django_assert_max_num_queries):
    for _ in range(10):
        OrderFactory(restaurant=order.restaurant, connection=order.connection)

    with django_assert_max_num_queries(12):
        admin_client.get(reverse("admin:orders_order_changelist"))


def test_order_change_page_shows_lines_history_and_last_locations(admin_client, order):
    response = admin_client.get(reverse("admin:orders_order_change", args=[order.pk]))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Extra cheese" in content
    assert "stale: received is behind accepted" in content
    assert len(response.context["ticket"].locations) == LAST_DRIVER_LOCATIONS


def test_the_order_page_is_a_ticket_a_post_saves_nothing(admin_client, order):
    # Orders are read-only tickets (support desk, item 3): moves are the ticket's buttons (tests/admin_ticket).
    url = reverse("admin:orders_order_change", args=[order.pk])

    response = admin_client.post(url, {"needs_attention": "on", "attention_reason": "customer called"})

    assert response.status_code == 403
    order.refresh_from_db()
    assert not order.needs_attention and order.status == "accepted"
    assert order.status_changes.count() == 2
    assert order.driver_locations.count() == LAST_DRIVER_LOCATIONS + 5


def test_orders_are_not_added_by_hand(admin_client):
    assert admin_client.get(reverse("admin:orders_order_add")).status_code == 403


@pytest.mark.parametrize("model", ["statuschange", "driverlocation"])
def test_history_admins_are_read_only(admin_client, order, model):
    row = order.status_changes.first() if model == "statuschange" else order.driver_locations.first()

    changelist = admin_client.get(reverse(f"admin:orders_{model}_changelist"))
    view = admin_client.get(reverse(f"admin:orders_{model}_change", args=[row.pk]))
    add = admin_client.get(reverse(f"admin:orders_{model}_add"))
    delete = admin_client.get(reverse(f"admin:orders_{model}_delete", args=[row.pk]))

    assert (changelist.status_code, view.status_code, add.status_code, delete.status_code) == (200, 200, 403, 403)
    assert b'name="_save"' not in view.content
