"""Every endpoint refuses no key, a wrong key and a revoked key (401) and another restaurant's key (404),
and in every one of those cases changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from api.keys import revoke
from catalog.models import Product
from integrations.models import SyncJob
from orders.models import DriverLocation, Order, StatusChange
from restaurants.models import CalendarException, Pause, ScheduleRange
from tests.factories.orders import ReservationFactory
from tests.factories.restaurants import CalendarExceptionFactory

from .conftest import client_with, error_of

pytestmark = pytest.mark.django_db


def soon() -> str:
    return (timezone.now() + timedelta(hours=1)).isoformat()


# (method, path with {r} restaurant, {o} order, {b} booking, {e} exception, body)
ENDPOINTS = [
    ("get", "/api/v1/restaurants", None),
    ("get", "/api/v1/restaurants/{r}", None),
    ("get", "/api/v1/restaurants/{r}/connections", None),
    ("get", "/api/v1/orders", None),
    ("get", "/api/v1/orders/{o}", None),
    ("post", "/api/v1/orders/{o}/status", {"status": "accepted", "prep_minutes": 10}),
    ("post", "/api/v1/orders/{o}/driver-location", {"lat": "40.4", "lng": "-3.7"}),
    ("get", "/api/v1/reservations", None),
    ("get", "/api/v1/reservations/{b}", None),
    ("post", "/api/v1/reservations/{b}/status", {"status": "confirmed"}),
    ("get", "/api/v1/restaurants/{r}/catalog", None),
    ("put", "/api/v1/restaurants/{r}/catalog", {"currency": "EUR", "products": []}),
    ("patch", "/api/v1/restaurants/{r}/catalog/items/PIZ-MARG", {"price": "1.00"}),
    ("post", "/api/v1/restaurants/{r}/catalog/items/PIZ-MARG/snooze", {"until": "SOON"}),
    ("delete", "/api/v1/restaurants/{r}/catalog/items/PIZ-MARG/snooze", None),
    ("get", "/api/v1/restaurants/{r}/availability", None),
    ("put", "/api/v1/restaurants/{r}/availability/weekly-hours", {"ranges": []}),
    ("post", "/api/v1/restaurants/{r}/availability/exceptions", {"starts_at": "SOON", "expires_at": "LATER"}),
    ("delete", "/api/v1/restaurants/{r}/availability/exceptions/{e}", None),
    ("post", "/api/v1/restaurants/{r}/availability/pause", {"reason": "busy"}),
    ("post", "/api/v1/restaurants/{r}/availability/resume", {}),
]


@pytest.fixture
def world(pos, order, catalog):
    booking = ReservationFactory(restaurant=pos.restaurant, connection=pos.connection)
    exception = CalendarExceptionFactory(restaurant=pos.restaurant, starts_at=timezone.now() + timedelta(days=3))
    return {"r": pos.restaurant.pk, "o": order.pk, "b": booking.pk, "e": exception.pk}


def snapshot(world) -> dict:
    """Everything an endpoint could change."""
    return {
        "statuses": list(StatusChange.objects.values_list("id", flat=True)),
        "order_status": list(Order.objects.order_by("id").values_list("status", flat=True)),
        "jobs": SyncJob.objects.count(),
        "locations": DriverLocation.objects.count(),
        "products": list(Product.objects.order_by("id").values_list("sku", "price", "available", "snoozed_until")),
        "pauses": list(Pause.objects.values_list("id", "resumed_at")),
        "ranges": ScheduleRange.objects.count(),
        "exceptions": CalendarException.objects.count(),
    }


def call(client, method, path, body, world):
    url = path.format(**world)
    if body is not None:
        body = {k: (soon() if v == "SOON" else (timezone.now() + timedelta(hours=2)).isoformat() if v == "LATER"
                    else v) for k, v in body.items()}
    return getattr(client, method)(url, body, format="json")


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS)
def test_no_key_is_401_and_changes_nothing(world, method, path, body):
    before = snapshot(world)
    response = call(client_with(None), method, path, body, world)
    assert response.status_code == 401
    assert error_of(response)["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "Api-Key"
    assert snapshot(world) == before


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS)
def test_wrong_key_is_401_and_changes_nothing(world, pos, method, path, body):
    before = snapshot(world)
    wrong = pos.key[:-4] + ("AAAA" if not pos.key.endswith("AAAA") else "BBBB")
    response = call(client_with(wrong), method, path, body, world)
    assert response.status_code == 401
    assert error_of(response)["code"] == "authentication_failed"
    assert snapshot(world) == before


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS)
def test_revoked_key_is_401_and_changes_nothing(world, pos, method, path, body):
    revoke(pos.api_key)
    before = snapshot(world)
    response = call(pos.client, method, path, body, world)
    assert response.status_code == 401
    assert error_of(response)["message"] == "invalid or revoked API key"
    assert snapshot(world) == before


@pytest.mark.parametrize(("method", "path", "body"), [e for e in ENDPOINTS if "{" in e[1]])
def test_another_restaurants_key_is_404_and_changes_nothing(world, other_pos, method, path, body):
    before = snapshot(world)
    response = call(other_pos.client, method, path, body, world)
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"
    assert snapshot(world) == before


def test_lists_with_another_restaurants_key_show_none_of_ours(world, other_pos):
    assert other_pos.client.get("/api/v1/orders").json()["results"] == []
    assert other_pos.client.get("/api/v1/reservations").json()["results"] == []
    assert [r["slug"] for r in other_pos.client.get("/api/v1/restaurants").json()] == ["otro-sitio"]


@pytest.mark.parametrize("header", ["Bearer abc", "Api-Key", "Token sq_x"])
def test_a_malformed_header_is_401(world, header):
    client = client_with(None)
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/api/v1/orders")
    assert response.status_code == 401
    assert "Api-Key" in error_of(response)["message"]
