"""The order and reservation buttons: each moves the order through change_order_status, which writes the job."""

from __future__ import annotations

import pytest
from django.test import Client

from integrations.models import SyncJob
from orders.models import Order
from restaurants.models import RestaurantMember
from tests.factories.integrations import ChannelFactory, ConnectionFactory
from tests.factories.orders import OrderFactory, ReservationFactory
from tests.factories.restaurants import RestaurantMemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager():
    return RestaurantMemberFactory(restaurant__name="Casa Lucía", restaurant__slug="casa-lucia")


@pytest.fixture
def connection(manager):
    return ConnectionFactory(restaurant=manager.restaurant, channel=ChannelFactory(name="Sandbox Market ES"))


@pytest.fixture
def client_in(client, manager) -> Client:
    client.force_login(manager.user)
    return client


def post(client, order, verb, **data):
    return client.post(f"/restaurants/casa-lucia/orders/{order.pk}/{verb}/", data, follow=True)


def sent_statuses(order) -> list[str]:
    jobs = SyncJob.objects.filter(order=order, kind=SyncJob.Kind.ORDER_STATUS).order_by("id")
    return [job.payload["update"]["status"] for job in jobs]


def test_a_requested_reservation_is_confirmed_from_the_page_and_the_job_is_written(client_in, manager, connection):
    booking = ReservationFactory(restaurant=manager.restaurant, connection=connection, display_code="R1",
                                 customer_name="Marta Pons", diners=6, notes="window table")
    page = client_in.get("/restaurants/casa-lucia/live/").content.decode()
    assert 'data-action="confirm"' in page and "Marta Pons" in page and "6 diners" in page and "window table" in page

    response = post(client_in, booking, "confirm")

    assert "R1: Confirm. Telling the channel…" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == "confirmed"
    assert sent_statuses(booking) == ["confirmed"]
    assert SyncJob.objects.get(order=booking).connection == connection


def test_seat_and_no_show_follow_the_reservation_flow(client_in, manager, connection):
    booking = ReservationFactory(restaurant=manager.restaurant, connection=connection, status="confirmed")
    absent = ReservationFactory(restaurant=manager.restaurant, connection=connection, status="confirmed")

    post(client_in, booking, "seat")
    post(client_in, absent, "no_show")

    assert Order.objects.get(pk=booking.pk).status == "seated" and sent_statuses(booking) == ["seated"]
    assert Order.objects.get(pk=absent.pk).status == "no_show" and sent_statuses(absent) == ["no_show"]
    live = client_in.get("/restaurants/casa-lucia/live/").content.decode()
    assert 'data-action="confirm"' not in live  # nothing left to confirm


def test_refusing_needs_the_reason_the_channel_asks_for(client_in, manager, connection):
    booking = ReservationFactory(restaurant=manager.restaurant, connection=connection, display_code="R2")

    refused = post(client_in, booking, "refuse")
    assert "R2 not changed:" in refused.content.decode() and "needs a reason" in refused.content.decode()
    assert Order.objects.get(pk=booking.pk).status == "requested" and not SyncJob.objects.exists()

    post(client_in, booking, "refuse", reason="fully booked")
    assert Order.objects.get(pk=booking.pk).status == "rejected"
    job = SyncJob.objects.get(order=booking)
    assert job.payload["update"] == {**job.payload["update"], "status": "rejected", "reason": "fully booked"}


def test_an_order_is_accepted_then_marked_ready(client_in, manager, connection):
    order = OrderFactory(restaurant=manager.restaurant, connection=connection, display_code="A12")

    post(client_in, order, "accept")
    post(client_in, order, "ready")

    assert Order.objects.get(pk=order.pk).status == "ready"
    assert sent_statuses(order) == ["accepted", "ready"]


def test_a_move_the_flow_refuses_writes_nothing(client_in, manager, connection):
    order = OrderFactory(restaurant=manager.restaurant, connection=connection, display_code="A13", status="ready")

    response = post(client_in, order, "accept")

    assert "A13 was not changed" in response.content.decode()
    assert Order.objects.get(pk=order.pk).status == "ready" and not SyncJob.objects.exists()


def test_an_order_verb_is_no_reservation_verb(client_in, manager, connection):
    booking = ReservationFactory(restaurant=manager.restaurant, connection=connection)
    order = OrderFactory(restaurant=manager.restaurant, connection=connection)

    assert client_in.post(f"/restaurants/casa-lucia/orders/{booking.pk}/accept/").status_code == 404
    assert client_in.post(f"/restaurants/casa-lucia/orders/{order.pk}/confirm/").status_code == 404
    assert client_in.post(f"/restaurants/casa-lucia/orders/{order.pk}/explode/").status_code == 404
    assert not SyncJob.objects.exists()


def test_a_staff_member_sees_no_buttons_and_is_refused(client, manager, connection):
    waiter = RestaurantMemberFactory(restaurant=manager.restaurant, role=RestaurantMember.Role.STAFF).user
    booking = ReservationFactory(restaurant=manager.restaurant, connection=connection, customer_name="Marta Pons")
    client.force_login(waiter)

    live = client.get("/restaurants/casa-lucia/live/").content.decode()
    assert "Marta Pons" in live and 'data-action="confirm"' not in live
    assert client.post(f"/restaurants/casa-lucia/orders/{booking.pk}/confirm/").status_code == 403
    assert Order.objects.get(pk=booking.pk).status == "requested" and not SyncJob.objects.exists()


def test_another_restaurants_order_is_404_even_through_my_restaurants_url(client_in, connection):
    stranger = ReservationFactory(connection=ConnectionFactory())

    assert client_in.post(f"/restaurants/casa-lucia/orders/{stranger.pk}/confirm/").status_code == 404
    assert client_in.post(f"/restaurants/{stranger.restaurant.slug}/orders/{stranger.pk}/confirm/").status_code == 404
    assert Order.objects.get(pk=stranger.pk).status == "requested" and not SyncJob.objects.exists()


def test_a_validation_runs_test_order_is_not_acted_on(client_in, manager, connection):
    test_order = OrderFactory(restaurant=manager.restaurant, connection=connection, is_test=True)

    assert client_in.post(f"/restaurants/casa-lucia/orders/{test_order.pk}/accept/").status_code == 404


def test_the_buttons_need_post_and_csrf(manager, connection):
    booking = ReservationFactory(restaurant=manager.restaurant, connection=connection)
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager.user)

    assert client.get(f"/restaurants/casa-lucia/orders/{booking.pk}/confirm/").status_code == 405
    assert client.post(f"/restaurants/casa-lucia/orders/{booking.pk}/confirm/").status_code == 403
    assert Order.objects.get(pk=booking.pk).status == "requested"


def test_guests_at_the_door_are_seated_from_the_page(client_in, manager, connection):
    booking = ReservationFactory(restaurant=manager.restaurant, connection=connection, status="arrived",
                                 customer_name="Marta Pons")
    live = client_in.get("/restaurants/casa-lucia/live/").content.decode()
    card = live.split(f'data-testid="order-{booking.pk}"')[1].split("</article>")[0]
    assert "arrived" in card and 'data-action="seat"' in card and 'data-action="confirm"' not in card

    post(client_in, booking, "seat")

    assert Order.objects.get(pk=booking.pk).status == "seated" and sent_statuses(booking) == ["seated"]
