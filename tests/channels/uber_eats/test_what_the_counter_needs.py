"""What Uber sends for the counter and the courier is kept: the eater's phone code, the building, how to hand it
over, the courier's vehicle and picture, the app ordered in, whom each line of a group order is for, and the
marketplace fee beside (not inside) the total. Stored on the order and shown on the POS API."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from api.keys import create_api_key
from canonical import Handover
from integrations.channels.corpus import corpus_directory
from integrations.channels.uber_eats.module import Module
from integrations.channels.uber_eats.translate import order_to_canonical
from orders.channel_door import ChannelLink, take_order
from orders.models import Order
from tests.factories.integrations import ConnectionFactory

CORPUS = corpus_directory(Module)


def payload(name: str) -> dict:
    return json.loads((CORPUS / f"{name}.json").read_text())["payload"]


def test_a_group_order_says_whom_each_line_is_for():
    # [GET] eaters[] ("the eaters in a group order": id, first_name) and cart.items[].eater_id
    group = copy.deepcopy(payload("get_order_own_courier"))
    group["eaters"] = [{"id": "eater-a", "first_name": "Jamie"}, {"id": "eater-b", "first_name": "Noor"}]
    group["cart"]["items"][0]["eater_id"] = "eater-a"
    group["cart"]["items"][1]["eater_id"] = "eater-b"

    order = order_to_canonical(group)

    assert [(line.name, line.for_person) for line in order.lines] == [
        ("Margherita pizza", "Jamie"), ("Soda (can)", "Noor")]


def test_a_one_person_order_names_nobody_on_its_lines():
    order = order_to_canonical(payload("get_order_own_courier"))

    assert {line.for_person for line in order.lines} == {""}


def test_an_unknown_dropoff_word_is_not_guessed():
    odd = copy.deepcopy(payload("get_order_own_courier"))
    odd["eater"]["delivery"]["type"] = "DRONE_WINDOW"

    assert order_to_canonical(odd).delivery_address.handover is None


@pytest.mark.django_db
def test_the_counter_facts_are_stored_and_on_the_pos_api():
    connection = ConnectionFactory()
    link = ChannelLink(connection_id=connection.pk, restaurant_id=connection.restaurant_id)
    own = order_to_canonical(payload("get_order_own_courier"))
    platform = order_to_canonical(payload("get_order_platform_courier"))
    when = datetime(2026, 1, 17, tzinfo=UTC)

    stored, _ = take_order(link, own, correlation_id="c-1", occurred_at=when)
    couriered, _ = take_order(link, platform, correlation_id="c-2", occurred_at=when)
    stored = Order.objects.get(pk=stored.pk)

    assert (stored.customer_phone, stored.customer_phone_code) == ("+1 312-555-0175", "771 20 415")
    assert (stored.address_business_name, stored.handover, stored.ordered_via) == (
        "Madison Lofts", Handover.TO_CUSTOMER, "UBER_EATS")
    # charges.total 24.61 = sub_total 19.00 + tax 1.52 + total_fee 4.09: the tip and Uber's fee are apart
    assert stored.total_amount == Decimal("24.61") and stored.tip_amount == Decimal("3.00")
    assert stored.tip_in_total is False
    assert stored.outside_total == [{"name": "marketplace_fee_due_to_uber", "amount": "1.50"}]
    delivery = couriered.deliveries.get()
    assert (delivery.vehicle, delivery.picture_url) == (
        "Red Honda Scooter, plate UB-4821", "https://www.example.com/courier/sam.jpg")

    _, key = create_api_key([connection.restaurant], "Till")
    pos = APIClient()
    pos.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    body = pos.get(f"/api/v1/orders/{stored.pk}").json()
    assert (body["customer"]["phone_code"], body["ordered_via"]) == ("771 20 415", "UBER_EATS")
    assert (body["delivery_address"]["business_name"], body["delivery_address"]["handover"]) == (
        "Madison Lofts", "to_customer")
    assert (body["tip_amount"], body["tip_in_total"]) == ("3.00", False)
    assert body["outside_total"] == [{"name": "marketplace_fee_due_to_uber", "amount": "1.50"}]
    courier = pos.get(f"/api/v1/orders/{couriered.pk}").json()["courier"]
    assert (courier["vehicle"], courier["picture_url"]) == (
        "Red Honda Scooter, plate UB-4821", "https://www.example.com/courier/sam.jpg")


@pytest.mark.django_db
def test_the_support_ticket_shows_what_the_counter_needs(admin_client):
    connection = ConnectionFactory()
    link = ChannelLink(connection_id=connection.pk, restaurant_id=connection.restaurant_id)
    group = copy.deepcopy(payload("get_order_own_courier"))
    group["eaters"] = [{"id": "eater-a", "first_name": "Jamie"}, {"id": "eater-b", "first_name": "Noor"}]
    group["cart"]["items"][1]["eater_id"] = "eater-b"
    order, _ = take_order(link, order_to_canonical(group), correlation_id="c-3",
                          occurred_at=datetime(2026, 1, 17, tzinfo=UTC))
    couriered, _ = take_order(link, order_to_canonical(payload("get_order_platform_courier")), correlation_id="c-4",
                              occurred_at=datetime(2026, 1, 17, tzinfo=UTC))

    page = admin_client.get(f"/admin/orders/order/{order.pk}/change/").content.decode()
    courier_page = admin_client.get(f"/admin/orders/order/{couriered.pk}/change/").content.decode()

    for shown in ("771 20 415", "Madison Lofts", "Hand it to the customer at the door", "UBER_EATS", "For Noor",
                  "Tip, paid apart from the total", "Outside the total: marketplace_fee_due_to_uber"):
        assert shown in page, shown
    assert "Red Honda Scooter, plate UB-4821" in courier_page


@pytest.mark.django_db
def test_the_ticket_speaks_spanish_to_a_spanish_agent_new_fields_and_reason_codes_included(admin_client):
    connection = ConnectionFactory()
    link = ChannelLink(connection_id=connection.pk, restaurant_id=connection.restaurant_id)
    order, _ = take_order(link, order_to_canonical(payload("get_order_own_courier")), correlation_id="c-5",
                          occurred_at=datetime(2026, 1, 17, tzinfo=UTC))

    page = admin_client.get(f"/admin/orders/order/{order.pk}/change/", HTTP_ACCEPT_LANGUAGE="es").content.decode()

    for shown in ("Edificio", "Código tras marcar", "Pedido en", "Propina, pagada aparte del total",
                  "Fuera del total: marketplace_fee_due_to_uber", "Productos agotados"):
        assert shown in page, shown
