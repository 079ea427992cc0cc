"""The order ticket in admin: a superuser pressing its buttons, and what the order and the outbox hold afterwards."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from integrations.connections import client_for
from orders.channel_door import ChannelLink, take_order
from orders.models import Order
from tests.factories.integrations import SANDBOX_API_KEY, ChannelFactory, ConnectionFactory

STORE = "casa-lucia"


@pytest.fixture
def market_connection(market):
    """A connection to the running Sandbox Market (no webhooks: the tests drive every step)."""
    market.register_store(store_ref=STORE, api_key=SANDBOX_API_KEY, currency="EUR")
    return ConnectionFactory(
        channel=ChannelFactory(name="Sandbox Market ES", sandbox_base_url=market.url), store_id=STORE,
        restaurant__timezone="Europe/Madrid",
    )


def order_from_market(market, connection, *, booking: bool = False, **fields) -> Order:
    """An order (or a booking) placed on the market and taken as its webhook would bring it."""
    made = market.create_booking(STORE, **fields) if booking else market.create_ticket(STORE, **fields)
    channel_id = made["ticket_id"]
    link = ChannelLink(connection_id=connection.pk, restaurant_id=connection.restaurant_id)
    order, _ = take_order(link, client_for(connection).get_order(channel_id), correlation_id=f"evt-{channel_id}")
    return order


def ticket_url(order: Order) -> str:
    return reverse("admin:orders_order_change", args=[order.pk])


def press(client: Client, order: Order, action: str, **data: str):
    """Press a ticket button (a POST to its action, as the page's form does); the page it lands on, followed."""
    return client.post(reverse("admin:orders_order_ticket_act", args=[order.pk, action]), data, follow=True)


def shown_messages(response) -> list[tuple[str, str]]:
    return [(message.level_tag, str(message)) for message in get_messages(response.wsgi_request)]


class Inputs(HTMLParser):
    """Every named form control on a page: what a browser could submit."""

    def __init__(self) -> None:
        super().__init__()
        self.names: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        name = dict(attrs).get("name")
        if tag in ("input", "select", "textarea", "button") and name:
            self.names.append(name)


def control_names(html: str) -> set[str]:
    parser = Inputs()
    parser.feed(html)
    return set(parser.names)
