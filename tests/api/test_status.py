"""Moving an order's or a reservation's status, and reporting the courier's position, from the POS."""

from __future__ import annotations

import pytest

from integrations.models import SyncJob
from orders.models import DriverLocation, StatusChange
from tests.factories.orders import OrderFactory, ReservationFactory

from .conftest import error_of

pytestmark = pytest.mark.django_db


def test_accept_with_prep_time_moves_the_order_and_queues_it_for_the_channel(pos, order):
    response = pos.client.post(f"/api/v1/orders/{order.pk}/status", {"status": "accepted", "prep_minutes": 20},
                               format="json")

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "accepted"
    assert response.json()["status_sync"]["state"] == "pending"
    job = SyncJob.objects.get(order=order)
    assert job.kind == "order_status" and job.connection == pos.connection
    assert job.payload["update"]["status"] == "accepted" and job.payload["update"]["prep_minutes"] == 20
    assert StatusChange.objects.get(order=order).source == "pos"


def test_reject_needs_a_reason(pos, order):
    response = pos.client.post(f"/api/v1/orders/{order.pk}/status", {"status": "rejected"}, format="json")
    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["reason"]

    response = pos.client.post(f"/api/v1/orders/{order.pk}/status", {"status": "rejected", "reason": "closing"},
                               format="json")
    assert response.status_code == 200
    assert SyncJob.objects.get(order=order).payload["update"]["reason"] == "closing"


def test_an_impossible_move_is_409_with_the_reason_and_writes_nothing(pos, order):
    order.status = "delivered"
    order.save()

    response = pos.client.post(f"/api/v1/orders/{order.pk}/status", {"status": "ready"}, format="json")

    assert response.status_code == 409
    error = error_of(response)
    assert error["code"] == "invalid_transition" and "final" in error["message"]
    assert not StatusChange.objects.filter(order=order).exists()
    assert not SyncJob.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "status"),
        ({"status": "teleported"}, "status"),
        ({"status": "confirmed"}, "status"),  # a reservation status
        ({"status": "ready", "prep_minutes": 5}, "prep_minutes"),
        ({"status": "accepted", "prep_minutes": 0}, "prep_minutes"),
        ({"status": "accepted", "prep_minutes": "soon"}, "prep_minutes"),
    ],
)
def test_status_validation_errors_name_the_field(pos, order, body, field):
    response = pos.client.post(f"/api/v1/orders/{order.pk}/status", body, format="json")
    assert response.status_code == 400
    assert field in error_of(response)["fields"]
    order.refresh_from_db()
    assert order.status == "received"


def test_malformed_json_is_400_in_the_same_shape(pos, order):
    response = pos.client.post(f"/api/v1/orders/{order.pk}/status", "{nope", content_type="application/json")
    assert response.status_code == 400
    assert error_of(response)["code"] == "parse_error"


def test_reservation_walk_confirm_seat_complete(pos):
    booking = ReservationFactory(restaurant=pos.restaurant, connection=pos.connection)
    for status in ("confirmed", "seated", "completed"):
        response = pos.client.post(f"/api/v1/reservations/{booking.pk}/status", {"status": status}, format="json")
        assert response.status_code == 200, response.content
        assert response.json()["status"] == status
    assert SyncJob.objects.filter(order=booking).count() == 3


def test_the_pos_marks_guests_arrived_before_seating_them(pos):
    booking = ReservationFactory(restaurant=pos.restaurant, connection=pos.connection)
    for status in ("confirmed", "arrived", "seated"):
        response = pos.client.post(f"/api/v1/reservations/{booking.pk}/status", {"status": status}, format="json")
        assert response.status_code == 200, response.content
        assert response.json()["status"] == status


@pytest.mark.parametrize(("status", "extra"), [("no_show", {}), ("cancelled", {"reason": "guest called"}),
                                                ("rejected", {"reason": "full"})])
def test_reservation_exits(pos, status, extra):
    booking = ReservationFactory(restaurant=pos.restaurant, connection=pos.connection)
    response = pos.client.post(f"/api/v1/reservations/{booking.pk}/status", {"status": status, **extra},
                               format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == status


def test_an_order_status_is_not_a_reservation_status(pos):
    booking = ReservationFactory(restaurant=pos.restaurant)
    response = pos.client.post(f"/api/v1/reservations/{booking.pk}/status", {"status": "ready"}, format="json")
    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["status"]


def test_driver_location_is_stored_and_queued(pos, order):
    response = pos.client.post(f"/api/v1/orders/{order.pk}/driver-location",
                               {"lat": "40.416800", "lng": "-3.703800"}, format="json")

    assert response.status_code == 202, response.content
    location = DriverLocation.objects.get(order=order)
    assert str(location.lat) == "40.416800"
    assert SyncJob.objects.get(order=order).kind == "delivery_location"


@pytest.mark.parametrize(("body", "field"), [({"lat": "91", "lng": "0"}, "lat"), ({"lat": "0"}, "lng"),
                                             ({"lat": "0", "lng": "0", "recorded_at": "now"}, "recorded_at")])
def test_driver_location_validation(pos, order, body, field):
    response = pos.client.post(f"/api/v1/orders/{order.pk}/driver-location", body, format="json")
    assert response.status_code == 400
    assert field in error_of(response)["fields"]
    assert not DriverLocation.objects.exists()


def test_driver_location_for_a_takeaway_is_409(pos):
    takeaway = OrderFactory(restaurant=pos.restaurant, service_type="collection")
    response = pos.client.post(f"/api/v1/orders/{takeaway.pk}/driver-location", {"lat": "1", "lng": "1"},
                               format="json")
    assert response.status_code == 409
    assert error_of(response)["code"] == "not_a_delivery"
