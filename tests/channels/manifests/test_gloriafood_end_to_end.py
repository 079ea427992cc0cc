"""End to end: GloriaFood, a manifest channel, against its simulator as its own process, our live server and a
real Celery worker. The simulator pushes the manifest's own corpus with the master key; nothing is mocked. A
table reservation pushed beside an order becomes a reservation the POS API lists (``GET /api/v1/reservations``)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
import requests

from api.keys import create_api_key
from channel_simulators.testing import SimulatorProcess, running_simulator
from integrations.models import WebhookEvent
from orders.models import Order
from tests.conftest import purge_all_queues, start_worker
from tests.factories.integrations import ChannelFactory, ConnectionFactory
from tests.outbound.conftest import FAST_ENV

pytestmark = pytest.mark.django_db(transaction=True)

RESTAURANT_KEY = "gfRestKEY-e2e-0001"
MASTER_KEY = "gf-master-KEY-e2e-0001"
CORPUS = Path(__file__).resolve().parents[3] / "integrations" / "channels" / "gloriafood" / "corpus"


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@pytest.fixture(scope="module")
def gloriafood_process() -> Iterator[SimulatorProcess]:
    with running_simulator("gloriafood") as simulator:
        yield simulator


@pytest.fixture
def gloriafood(gloriafood_process: SimulatorProcess) -> SimulatorProcess:
    gloriafood_process.reset()
    return gloriafood_process


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


def connect(gloriafood, live_server, master_key: str = MASTER_KEY):
    connection = ConnectionFactory(channel=ChannelFactory(module="gloriafood"), store_id=RESTAURANT_KEY,
                                   credentials={"master_key": MASTER_KEY})
    gloriafood.control("POST", "/_control/restaurants", {
        "restaurant_key": RESTAURANT_KEY, "master_key": master_key,
        "webhook_url": f"{live_server.url}/webhooks/{connection.webhook_token}/"})
    return connection


def fixture_expected(name: str) -> dict:
    return json.loads((CORPUS / f"{name}.expected.json").read_text())


def pos(live_server, key: str, path: str) -> requests.Response:
    return requests.get(f"{live_server.url}/api/v1{path}", headers={"Authorization": f"Api-Key {key}"}, timeout=10)


def arrived(gloriafood, connection, order_id) -> Order:
    return gloriafood.wait_for(lambda: Order.objects.filter(connection=connection,
                                                            channel_order_id=str(order_id)).first(), timeout=20)


def test_a_pushed_delivery_order_is_stored_as_the_docs_mean_it(gloriafood, live_server, worker):
    connection = connect(gloriafood, live_server)
    push = gloriafood.control("POST", "/_control/orders", {"restaurant_key": RESTAURANT_KEY,
                                                           "fixture": "order_delivery_online"})
    sent = push["orders"][0]
    order = arrived(gloriafood, connection, sent["id"])

    event = WebhookEvent.objects.get(connection=connection)
    assert (event.state, event.order_id) == ("processed", order.pk)
    assert MASTER_KEY not in str(event.headers)  # the key is masked where the webhook is kept
    assert (order.service_type, order.status) == ("delivery", "accepted")
    assert order.placed_at == utc(sent["accepted_at"]) and order.estimated_dropoff_at == utc(sent["fulfill_at"])
    lines = list(order.lines.order_by("position").values_list("parent__sku", "sku", "quantity", "unit_price"))
    # Options per unit of their pizza (GloriaFood's total_item_price: (9.50 + 2.00 + 1.20) × 2 = 25.40), stored as
    # the platform stores every option: its quantity on the whole line.
    assert lines == [(None, "841", 2, Decimal("9.50")), ("841", "798", 2, Decimal("2.00")),
                     ("841", "1187", 2, Decimal("1.20")), (None, "2716", 1, Decimal("2.50"))]
    assert sum(line.line_total for line in order.lines.all()) == Decimal("27.90")
    assert (order.total_amount, order.delivery_fee, order.tip_amount, order.vat_amount) == (
        Decimal("32.90"), Decimal("3.00"), Decimal("2.00"), Decimal("2.81"))
    assert (order.address_street, order.address_unit, order.address_city) == (
        "Carrer de Mallorca 120", "block B, floor 3, apartment 2, intercom 32", "Barcelona")
    assert order.customer_name == "Marta Puig" and order.notes == "Ring twice"
    assert order.channel_payload  # the push as GloriaFood sent it, kept on the order


def test_the_documented_second_notification_of_an_order_makes_no_second_order(gloriafood, live_server, worker):
    connection = connect(gloriafood, live_server)
    push = gloriafood.control("POST", "/_control/orders", {"restaurant_key": RESTAURANT_KEY, "twice": True,
                                                           "fixture": "order_pickup_for_later_cash"})
    order = arrived(gloriafood, connection, push["orders"][0]["id"])
    gloriafood.wait_for(lambda: all(d["delivered"] for d in gloriafood.webhooks()) or None, timeout=20)

    assert [d["delivered"] for d in gloriafood.webhooks()] == [True, True]  # both answered 2xx
    assert WebhookEvent.objects.filter(connection=connection).count() == 1
    assert Order.objects.filter(connection=connection).count() == 1
    assert order.service_type == "collection" and order.scheduled_for == utc(push["orders"][0]["fulfill_at"])


def test_a_push_of_an_order_and_a_table_reservation_applies_both(gloriafood, live_server, worker):
    connection = connect(gloriafood, live_server)
    _api_key, key = create_api_key([connection.restaurant], "Till 1")
    push = gloriafood.control("POST", "/_control/orders", {"restaurant_key": RESTAURANT_KEY,
                                                           "fixture": "orders_dine_in_and_reservation"})
    dine_in, booked = push["orders"]
    order = arrived(gloriafood, connection, dine_in["id"])
    reservation = arrived(gloriafood, connection, booked["id"])

    event = WebhookEvent.objects.get(connection=connection)  # one push, one stored webhook, both applied
    assert (event.state, event.event_type) == ("processed", "new_order,new_reservation")
    assert (order.service_type, order.diners, order.table) == ("insitu", 2, dine_in["table_number"])
    # The booking as the corpus' expected file reads it: confirmed, the party, the time, the guest and the note.
    expected = fixture_expected("orders_dine_in_and_reservation")["reservations"][0]
    assert (reservation.service_type, reservation.status, reservation.channel_status) == (
        "reservation", expected["status"], "accepted")
    assert reservation.diners == expected["diners"] == booked["persons"]
    assert reservation.reservation_at == utc(booked["fulfill_at"])
    assert reservation.customer_name == expected["customer"]["name"] and reservation.notes == expected["notes"]
    assert not reservation.payments.exists() and not reservation.lines.exists()

    listed = pos(live_server, key, "/reservations")
    assert listed.status_code == 200
    [item] = [item for item in listed.json()["results"] if item["channel_order_id"] == str(booked["id"])]
    assert (item["status"], item["diners"], item["channel_status"]) == ("confirmed", 4, "accepted")
    assert utc(item["reservation_at"]) == utc(booked["fulfill_at"])
    assert item["customer"]["name"] == "Pau Roca" and item["notes"] == "A high chair for a toddler, please"
    orders = pos(live_server, key, "/orders").json()["results"]
    assert [(o["channel_order_id"], o["table"]) for o in orders] == [(str(dine_in["id"]), "12")]


def test_a_push_with_another_master_key_is_refused_and_stores_nothing(gloriafood, live_server, worker):
    connection = connect(gloriafood, live_server, master_key="gf-someone-else")
    gloriafood.control("POST", "/_control/orders", {"restaurant_key": RESTAURANT_KEY})
    gloriafood.wait_for(lambda: gloriafood.webhooks()[0]["attempts"] or None, timeout=20)

    assert gloriafood.webhooks()[0]["attempts"][0]["status"] == 403
    assert not WebhookEvent.objects.filter(connection=connection).exists()
    assert not Order.objects.filter(connection=connection).exists()
