"""What Glovo says of the customer, the invoice and bundled orders reaches the stored order, admin and the POS.

Glovo's corpus notifications go through the module's parser and the channel door, as the platform takes them.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.urls import reverse
from pydantic import SecretStr
from requests.structures import CaseInsensitiveDict
from rest_framework.test import APIClient

from api.keys import create_api_key
from integrations.channels.context import ConnectionInfo
from integrations.channels.glovo.module import GlovoCredentials, Module
from orders.channel_door import ChannelLink, take_order
from orders.models import Order
from tests.factories.integrations import ConnectionFactory

from . import samples as s

pytestmark = pytest.mark.django_db
CORPUS = Path(__file__).resolve().parents[3] / "integrations" / "channels" / "glovo" / "corpus"


@pytest.fixture
def connection():
    return ConnectionFactory(store_id="sinqro-bcn-001")


def taken(connection, fixture: str) -> Order:
    info = ConnectionInfo(connection_id=connection.pk, store_id=connection.store_id, environment="production",
                          base_url="", timezone="Europe/Madrid", credentials=GlovoCredentials(
                              api_token=SecretStr(s.API_TOKEN), webhook_token=SecretStr(s.WEBHOOK_TOKEN)))
    body = json.dumps(json.loads((CORPUS / f"{fixture}.json").read_text())["payload"]).encode()
    [event] = Module().parse_webhook(info, body, CaseInsensitiveDict(s.headers()))
    link = ChannelLink(connection_id=connection.pk, restaurant_id=connection.restaurant_id)
    order, created = take_order(link, event.order, correlation_id="evt-1", occurred_at=datetime.now(UTC))
    assert created
    order.refresh_from_db()
    return order


def pos_reads(connection, order: Order) -> dict:
    _, key = create_api_key([connection.restaurant], "Till 1")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    response = client.get(f"/api/v1/orders/{order.pk}")
    assert response.status_code == 200, response.content
    return response.json()


def test_the_company_to_invoice_and_the_customers_glovo_id_are_stored_and_read_by_the_pos(connection):
    order = taken(connection, "order_marketplace_delivery_prepaid")

    body = pos_reads(connection, order)

    assert (order.invoice_company_name, order.invoice_tax_id, order.invoice_address) == (
        "Acme Catering SL", "B12345678", "Carrer de Mallorca 100, 08036 Barcelona")
    assert order.customer_channel_id == "7c6b5a49-3827-4165-9403-a1b2c3d4e5f6"
    assert body["customer"]["channel_customer_id"] == "7c6b5a49-3827-4165-9403-a1b2c3d4e5f6"
    assert body["customer"]["invoicing"] == {"company_name": "Acme Catering SL", "tax_id": "B12345678",
                                             "address": "Carrer de Mallorca 100, 08036 Barcelona"}
    assert body["bundled_with"] == []  # "for marketplace orders this will be set to null"


def test_orders_delivered_together_are_stored_and_an_order_without_invoice_says_so(connection):
    order = taken(connection, "order_glovo_courier")

    body = pos_reads(connection, order)

    assert order.bundled_with == ["100200299"] and body["bundled_with"] == ["100200299"]
    assert body["customer"]["invoicing"] is None
    assert body["customer"]["channel_customer_id"] == "6f1d2c3b-4a59-4687-9a1b-2c3d4e5f6a71"


def test_admin_shows_the_customer_id_the_invoice_and_the_bundled_orders(connection, admin_client):
    invoiced = taken(connection, "order_marketplace_delivery_prepaid")
    bundled = taken(connection, "order_glovo_courier")

    invoiced_page = admin_client.get(reverse("admin:orders_order_change", args=[invoiced.pk])).content.decode()
    bundled_page = admin_client.get(reverse("admin:orders_order_change", args=[bundled.pk])).content.decode()

    assert "From the channel: customer, invoice and bundled orders" in invoiced_page
    assert "Acme Catering SL · tax id B12345678 · Carrer de Mallorca 100, 08036 Barcelona" in invoiced_page
    assert "7c6b5a49-3827-4165-9403-a1b2c3d4e5f6" in invoiced_page
    assert "no invoice asked for" in bundled_page and "100200299" in bundled_page
