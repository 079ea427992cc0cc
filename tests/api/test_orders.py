"""Listing and reading orders and reservations: nested lines, filters, polling with `since`, cursor pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from integrations.models import SyncJob
from orders.models import Order
from tests.factories.integrations import ChannelFactory, ConnectionFactory
from tests.factories.orders import OrderFactory, ReservationFactory

from .conftest import error_of

pytestmark = pytest.mark.django_db


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


def test_an_order_reads_with_its_lines_options_channel_and_last_status_sync(pos, order):
    SyncJob.objects.create(connection=pos.connection, order=order, kind=SyncJob.Kind.ORDER_STATUS,
                           payload={"status": "accepted"}, state=SyncJob.State.SUCCEEDED)

    body = pos.client.get(f"/api/v1/orders/{order.pk}").json()

    assert body["channel_order_id"] == "SM-000001"
    assert body["channel"]["module"] == "sandbox_market"
    assert body["channel"]["connection_id"] == pos.connection.pk
    assert [line["sku"] for line in body["lines"]] == ["PIZ-MARG"]
    assert [option["sku"] for option in body["lines"][0]["options"]] == ["OPT-CHEESE"]
    assert body["status_sync"]["state"] == "succeeded"
    assert body["customer"]["name"] == order.customer_name


def test_orders_and_reservations_are_separate_lists(pos, order):
    booking = ReservationFactory(restaurant=pos.restaurant)
    assert ids(pos.client.get("/api/v1/orders")) == [order.pk]
    assert ids(pos.client.get("/api/v1/reservations")) == [booking.pk]
    assert pos.client.get(f"/api/v1/orders/{booking.pk}").status_code == 404
    body = pos.client.get(f"/api/v1/reservations/{booking.pk}").json()
    assert body["diners"] == 4 and body["status"] == "requested"


def test_filters_by_status_service_type_and_placed_window(pos):
    now = timezone.now()
    old = OrderFactory(restaurant=pos.restaurant, placed_at=now - timedelta(days=2))
    accepted = OrderFactory(restaurant=pos.restaurant, status="accepted", placed_at=now - timedelta(hours=1))
    takeaway = OrderFactory(restaurant=pos.restaurant, service_type="collection", placed_at=now)

    assert ids(pos.client.get("/api/v1/orders", {"status": "accepted"})) == [accepted.pk]
    assert ids(pos.client.get("/api/v1/orders", {"service_type": "collection"})) == [takeaway.pk]
    window = {"placed_after": (now - timedelta(days=1)).isoformat(), "placed_before": now.isoformat()}
    assert ids(pos.client.get("/api/v1/orders", window)) == [accepted.pk]
    assert old.pk in ids(pos.client.get("/api/v1/orders"))


def test_filter_by_channel_id_or_module_slug(pos, order):
    mine = OrderFactory(restaurant=pos.restaurant)  # no connection: created by us
    other_channel = ChannelFactory(name="Other", module="other_module")
    elsewhere = OrderFactory(restaurant=pos.restaurant, connection=ConnectionFactory(
        restaurant=pos.restaurant, channel=other_channel))

    assert ids(pos.client.get("/api/v1/orders", {"channel": pos.connection.channel_id})) == [order.pk]
    assert ids(pos.client.get("/api/v1/orders", {"channel": "sandbox_market"})) == [order.pk]
    assert ids(pos.client.get("/api/v1/orders", {"channel": "other_module"})) == [elsewhere.pk]
    assert mine.pk in ids(pos.client.get("/api/v1/orders"))


def test_since_returns_what_changed_oldest_change_first(pos):
    first, second, untouched = (OrderFactory(restaurant=pos.restaurant) for _ in range(3))
    mark = timezone.now()
    Order.objects.filter(pk=second.pk).update(updated_at=mark + timedelta(seconds=1))
    Order.objects.filter(pk=first.pk).update(updated_at=mark + timedelta(seconds=2))
    Order.objects.filter(pk=untouched.pk).update(updated_at=mark - timedelta(seconds=5))

    assert ids(pos.client.get("/api/v1/orders", {"since": mark.isoformat()})) == [second.pk, first.pk]


def test_cursor_pagination_walks_every_order_once(pos):
    created = [OrderFactory(restaurant=pos.restaurant, placed_at=timezone.now() - timedelta(minutes=i)).pk
               for i in range(5)]
    seen, url = [], "/api/v1/orders?page_size=2"
    while url:
        body = pos.client.get(url).json()
        assert len(body["results"]) <= 2
        seen += [item["id"] for item in body["results"]]
        url = body["next"]
    assert seen == created  # newest first


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "eaten"}, "status"),
        ({"service_type": "reservation"}, "service_type"),
        ({"since": "yesterday"}, "since"),
        ({"placed_after": "2024-13-01"}, "placed_after"),
        ({"channel": "no spaces please"}, "channel"),
    ],
)
def test_a_bad_filter_is_400_naming_the_parameter(pos, params, field):
    response = pos.client.get("/api/v1/orders", params)
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "validation_error"
    assert list(error["fields"]) == [field]


def test_a_list_page_costs_a_fixed_number_of_queries(pos, django_assert_max_num_queries):
    for _ in range(10):
        order = OrderFactory(restaurant=pos.restaurant, connection=pos.connection)
        SyncJob.objects.create(connection=pos.connection, order=order, kind="order_status", payload={})
    with django_assert_max_num_queries(8):
        assert len(pos.client.get("/api/v1/orders").json()["results"]) == 10
