"""End to end over real HTTP: the TheFork simulator as its own process, our live server and a real Celery worker.

TheFork sends a thin, unsigned ``reservationCreated`` to the connection's webhook URL (its token is in the URL);
the worker fetches the reservation and its customer (one Auth0 token for every call), and the reservation shows
on the restaurant's page and in ``GET /api/v1/reservations``. Changes made in TheFork Manager (a no-show, a
cancellation) come back as ``reservationUpdated`` and are applied. From our side TheFork's B2B API takes a
cancellation only: a cancel from the POS reaches TheFork; a confirmation (POS API or the page's button) is applied
here and, as TheFork documents no call for it, nothing is sent.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
import requests
from django.test import Client

from api.keys import create_api_key
from channel_simulators.testing import running_simulator
from integrations.inbound.reconciliation import reconcile_open_orders
from integrations.models import ChannelCall, SyncJob, WebhookEvent, WebhookRejection
from orders.models import Order, OrderStatus
from tests.conftest import purge_all_queues, start_worker
from tests.factories.integrations import ChannelFactory, ConnectionFactory
from tests.factories.restaurants import RestaurantMemberFactory
from tests.outbound.conftest import FAST_ENV

from .corpus import GROUP, RESTAURANT, fixture

pytestmark = pytest.mark.django_db(transaction=True)

FINAL = (SyncJob.State.SUCCEEDED, SyncJob.State.FAILED, SyncJob.State.SUPERSEDED, SyncJob.State.CANCELLED)
APP = {"client_id": "sinqro-thefork-e2e", "client_secret": "tf-e2e-8c41d2"}


@pytest.fixture(scope="module")
def thefork_process():
    with running_simulator("thefork") as simulator:
        yield simulator


@pytest.fixture(scope="module")
def module_worker(django_db_setup):
    purge_all_queues()
    process = start_worker(extra_env=FAST_ENV)
    try:
        yield process
    finally:
        process.kill()


@pytest.fixture
def worker(transactional_db, purge_broker, module_worker):
    return module_worker


@pytest.fixture
def thefork(thefork_process):
    thefork_process.reset()
    thefork_process.control("POST", "/_control/app", APP)
    return thefork_process


@pytest.fixture
def restaurant_side(thefork, live_server):
    """Casa Lucía connected to TheFork: its manager, a POS key, the connection TheFork posts to."""
    manager = RestaurantMemberFactory(restaurant__name="Casa Lucía", restaurant__slug="casa-lucia")
    channel = ChannelFactory(name="TheFork", module="thefork", sandbox_base_url=f"{thefork.url}/manager")
    connection = ConnectionFactory(restaurant=manager.restaurant, channel=channel, store_id=RESTAURANT,
                                   credentials={**APP, "group_uuid": GROUP})
    thefork.control("POST", "/_control/restaurants", {
        "restaurant_uuid": RESTAURANT, "group_uuid": GROUP,
        "webhook_url": f"{live_server.url}/webhooks/{connection.webhook_token}/"})
    _api_key, key = create_api_key([manager.restaurant], "Till 1")
    return manager, connection, key


def book(thefork, connection, fixture_name: str, **fields) -> tuple[dict, Order]:
    booked = thefork.control("POST", "/_control/reservations", {"restaurant_uuid": RESTAURANT,
                                                                "fixture": fixture_name})
    order = arrived(thefork, connection, booked["reservationUuid"], **fields)
    return booked, order


def arrived(thefork, connection, reservation_id: str, **fields) -> Order:
    return thefork.wait_for(lambda: Order.objects.filter(connection=connection, channel_order_id=reservation_id,
                                                         **fields).first(), timeout=45)


def jobs_final(thefork) -> list[SyncJob]:
    thefork.wait_for(lambda: not SyncJob.objects.exclude(state__in=FINAL).exists(), timeout=45, interval=0.1)
    return list(SyncJob.objects.order_by("id"))


def pos(live_server, key: str, method: str, path: str, **kwargs) -> requests.Response:
    return requests.request(method, f"{live_server.url}/api/v1{path}", headers={"Authorization": f"Api-Key {key}"},
                            timeout=10, **kwargs)


def logged_in(live_server, manager) -> requests.Session:
    """A browser-like session of the manager on the live server (the session cookie Django gave the login)."""
    client = Client()
    client.force_login(manager.user)
    session = requests.Session()
    session.cookies.set("sessionid", client.cookies["sessionid"].value)
    return session


def test_a_thefork_reservation_reaches_the_page_and_the_pos_api_as_documented(
    thefork, restaurant_side, live_server, worker
):
    manager, connection, key = restaurant_side
    documented = fixture("get_reservation_recorded")

    booked, reservation = book(thefork, connection, "get_reservation_recorded")

    # One token; the reservation and its customer each read once (a GET that timed out on a busy machine is
    # retried, so the answered calls are counted, not the attempts).
    answered = ChannelCall.objects.filter(connection=connection, status_code=200)
    assert sorted(answered.values_list("operation", flat=True)) == ["get_customer", "get_order", "oauth_token"]
    assert thefork.control("GET", "/_control/stats")["oauth_token"] == 1
    assert WebhookEvent.objects.get(connection=connection).state == "processed"
    [delivery] = thefork.wait_for(lambda: [d for d in thefork.webhooks() if d["delivered"]])
    assert [attempt["status"] for attempt in delivery["attempts"]] == [200]  # TheFork's documented answer

    # The reservation as the corpus' expected file reads it: RECORDED is confirmed, party size, meal time, guest.
    expected = documented.expected
    assert (reservation.service_type, reservation.status) == ("reservation", expected["order"]["status"])
    assert reservation.diners == expected["reservation"]["diners"]
    assert reservation.reservation_at == datetime.fromisoformat(booked["mealDate"].replace("Z", "+00:00"))
    assert reservation.customer_name == expected["order"]["customer"]["name"]
    assert reservation.notes == expected["order"]["notes"]

    listed = pos(live_server, key, "GET", "/reservations")
    assert listed.status_code == 200
    [item] = [item for item in listed.json()["results"] if item["channel_order_id"] == booked["reservationUuid"]]
    assert (item["status"], item["diners"], item["channel_status"]) == ("confirmed", 4, "RECORDED")
    assert item["customer"]["name"] == "Lucía Ortega" and item["notes"] == expected["order"]["notes"]

    page = logged_in(live_server, manager).get(f"{live_server.url}/restaurants/casa-lucia/", timeout=10)
    assert page.status_code == 200
    assert "Lucía Ortega" in page.text and "4 diners" in page.text


def test_a_no_show_and_a_cancellation_made_in_thefork_manager_are_applied(thefork, restaurant_side, worker):
    _manager, connection, _key = restaurant_side
    guest, _ = book(thefork, connection, "get_reservation_recorded", status=OrderStatus.CONFIRMED)
    other, _ = book(thefork, connection, "get_reservation_requested", status=OrderStatus.REQUESTED)

    thefork.control("POST", f"/_control/reservations/{guest['reservationUuid']}/status", {"status": "NO_SHOW"})
    thefork.control("POST", f"/_control/reservations/{other['reservationUuid']}/status", {"status": "CANCELED"})

    no_show = arrived(thefork, connection, guest["reservationUuid"], status=OrderStatus.NO_SHOW)
    cancelled = arrived(thefork, connection, other["reservationUuid"], status=OrderStatus.CANCELLED)
    assert no_show.status_changes.last().channel_status == "NO_SHOW"
    assert cancelled.status_changes.last().channel_status == "CANCELED"
    assert WebhookEvent.objects.filter(connection=connection).count() == 4
    assert not SyncJob.objects.exists()  # news from the channel goes back nowhere


def test_a_cancellation_from_the_pos_reaches_thefork_and_a_confirmation_stays_ours(
    thefork, restaurant_side, live_server, worker
):
    _manager, connection, key = restaurant_side
    requested, reservation = book(thefork, connection, "get_reservation_requested", status=OrderStatus.REQUESTED)

    # Confirm from the POS: applied here; TheFork's B2B API has no call for it, so no job and no request.
    confirmed = pos(live_server, key, "POST", f"/reservations/{reservation.pk}/status", json={"status": "confirmed"})
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["status"] == "confirmed"
    assert not SyncJob.objects.exists()
    assert thefork.control("GET", f"/_control/reservations/{requested['reservationUuid']}")["status"] == "REQUESTED"

    # Cancel from the POS: the outbox PATCHes TheFork's cancel endpoint.
    cancelled = pos(live_server, key, "POST", f"/reservations/{reservation.pk}/status",
                    json={"status": "cancelled", "reason": "The kitchen flooded"})
    assert cancelled.status_code == 200, cancelled.text
    [job] = jobs_final(thefork)
    assert job.state == SyncJob.State.SUCCEEDED
    assert thefork.control("GET", f"/_control/reservations/{requested['reservationUuid']}")["status"] == "CANCELED"
    [call] = thefork.log("cancel")
    assert call["reservation_id"] == requested["reservationUuid"]
    [sent] = ChannelCall.objects.filter(connection=connection, operation="set_order_status", status_code=200)
    assert sent.method == "PATCH" and sent.url.endswith(f"/v1/reservations/{requested['reservationUuid']}/cancel")
    # Still one token for the fetch and the cancel.
    assert thefork.control("GET", "/_control/stats")["oauth_token"] == 1


def test_a_requested_reservation_is_confirmed_from_the_restaurants_page(thefork, restaurant_side, live_server, worker):
    manager, connection, _key = restaurant_side
    requested, reservation = book(thefork, connection, "get_reservation_requested", status=OrderStatus.REQUESTED)
    session = logged_in(live_server, manager)
    page = session.get(f"{live_server.url}/restaurants/casa-lucia/", timeout=10)
    assert 'data-action="confirm"' in page.text and "Marco Bellini" in page.text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)

    answer = session.post(f"{live_server.url}/restaurants/casa-lucia/orders/{reservation.pk}/confirm/",
                          data={"csrfmiddlewaretoken": token}, timeout=10,
                          headers={"Referer": f"{live_server.url}/restaurants/casa-lucia/"})

    assert answer.status_code == 200, answer.text[:500]
    reservation.refresh_from_db()
    assert reservation.status == OrderStatus.CONFIRMED
    assert reservation.status_changes.last().source == "staff"
    # TheFork takes no confirmation: nothing is queued, nothing reaches it.
    assert not SyncJob.objects.exists()
    assert thefork.control("GET", f"/_control/reservations/{requested['reservationUuid']}")["status"] == "REQUESTED"


def test_a_second_update_of_one_reservation_is_a_duplicate_and_reconciliation_takes_its_status(
    thefork, restaurant_side, worker
):
    """TheFork's updates carry no id and no status: two of one reservation are the same bytes (documented limit)."""
    _manager, connection, _key = restaurant_side
    guests, _ = book(thefork, connection, "get_reservation_recorded", status=OrderStatus.CONFIRMED)
    reservation_id = guests["reservationUuid"]

    thefork.control("POST", f"/_control/reservations/{reservation_id}/status", {"status": "ARRIVED"})
    arrived(thefork, connection, reservation_id, status=OrderStatus.ARRIVED)
    thefork.control("POST", f"/_control/reservations/{reservation_id}/status", {"status": "SEATED"})
    thefork.wait_for(lambda: len([d for d in thefork.webhooks() if d["delivered"]]) == 3)

    # The second reservationUpdated was answered 200 and held as a duplicate: the guests still read arrived.
    assert WebhookEvent.objects.filter(connection=connection).count() == 2
    assert Order.objects.get(channel_order_id=reservation_id).status == OrderStatus.ARRIVED

    # Reconciliation GETs the open reservation and takes the status TheFork has now.
    report = reconcile_open_orders(older_than=timedelta(0))
    seated = Order.objects.get(channel_order_id=reservation_id)
    assert seated.pk in report.moved and seated.status == OrderStatus.SEATED
    assert seated.status_changes.last().source == "reconciliation"


def test_the_webhook_url_is_the_authentication_another_restaurants_event_is_refused_and_a_guest_event_ignored(
    thefork, restaurant_side, live_server, worker
):
    _manager, connection, _key = restaurant_side
    url = f"{live_server.url}/webhooks/{connection.webhook_token}/"
    documented = fixture("webhook_customer_updated").payload

    wrong_url = requests.post(f"{live_server.url}/webhooks/not-this-connections-token/",
                              json=fixture("webhook_reservation_created").payload, timeout=10)
    foreign = requests.post(url, json={**fixture("webhook_reservation_created").payload,
                                       "restaurantUuid": "00000000-0000-4000-8000-000000000001"}, timeout=10)
    guest = requests.post(url, json=documented, timeout=10)

    assert wrong_url.status_code == 404
    assert foreign.status_code == 403 and "another TheFork restaurant" in foreign.json()["error"]["message"]
    assert WebhookRejection.objects.filter(connection=connection, status_code=403).count() == 1
    assert (guest.status_code, guest.content) == (200, b"")  # TheFork's acknowledgement
    event = thefork.wait_for(lambda: WebhookEvent.objects.filter(connection=connection, state="ignored").first(),
                             timeout=45)
    assert "guest profile" in event.error and event.order_id is None
    assert not Order.objects.exists()
