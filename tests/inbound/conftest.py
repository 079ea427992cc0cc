"""Inbound test helpers: a Sandbox Market connection, and webhooks signed the way the market signs them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone

from integrations.inbound.processing import process_webhook_event
from integrations.models import Connection, WebhookEvent
from tests.channels.sandbox_market_samples import event, sign
from tests.channels.uber_eats import samples as uber_samples
from tests.factories.integrations import SANDBOX_API_KEY, SANDBOX_WEBHOOK_SECRET, ChannelFactory, ConnectionFactory


def webhook_url(connection: Connection) -> str:
    return reverse("inbound:webhook", args=[connection.webhook_token])


def signed_headers(body: bytes, *, secret: str = SANDBOX_WEBHOOK_SECRET, event_id: str = "", at=None) -> dict:
    return sign(body, secret=secret, at=at or timezone.now(), event_id=event_id)


@dataclass
class Delivered:
    """What the endpoint answered, and the parsed JSON."""

    status_code: int
    json: dict


def deliver(
    client, connection: Connection, body: bytes, headers: dict | None = None, method: str = "post"
) -> Delivered:
    """POST (or PUT) a body to the connection's webhook URL, signed unless ``headers`` are given."""
    headers = dict(signed_headers(body) if headers is None else headers)
    content_type = headers.pop("Content-Type", "application/json")
    response = getattr(client, method)(webhook_url(connection), data=body, content_type=content_type, headers=headers)
    return Delivered(response.status_code, response.json())


def market_event(kind: str, ticket_id: str, **extra) -> bytes:
    """A Sandbox Market webhook body with a fresh event id."""
    return event(kind, str(uuid.uuid4()), ticket_id, **extra)


def process(event_id: int) -> WebhookEvent:
    process_webhook_event(event_id)
    return WebhookEvent.objects.get(pk=event_id)


@pytest.fixture
def connection(db) -> Connection:
    return ConnectionFactory(store_id="casa-lucia")


@pytest.fixture
def uber_connection(db) -> Connection:
    """An Uber Eats connection (sandbox), with the app credentials ``tests.channels.uber_eats.samples`` signs with."""
    return ConnectionFactory(channel=ChannelFactory(module="uber_eats"), store_id=uber_samples.STORE_ID,
                             credentials={"client_id": uber_samples.CLIENT_ID,
                                          "client_secret": uber_samples.CLIENT_SECRET})


def uber_webhook(order_id: str, event_type: str = "orders.notification", event_id: str = "") -> bytes:
    """A thin Uber Eats notification for ``order_id``, sent now."""
    return uber_samples.event(event_type, event_id or str(uuid.uuid4()), order_id, at=timezone.now())


@pytest.fixture(autouse=True)
def _no_broker(monkeypatch, request):
    """Unit tests process events by hand; only tests with a real worker enqueue for real."""
    if "celery_worker" in request.fixturenames:
        return
    queued: list[int] = []
    monkeypatch.setattr("integrations.inbound.receiving.announce_stored", queued.append)
    request.node.queued = queued


@pytest.fixture
def queued(request) -> list[int]:
    """Event ids the code under test asked to enqueue."""
    return request.node.queued


@pytest.fixture
def failing_market(market, connection):
    """The connection talks to the real Sandbox Market, which answers 500 to every API call."""
    market.register_store(store_ref="casa-lucia", api_key=SANDBOX_API_KEY, currency="EUR")
    market.add_fault(store_ref="casa-lucia", kind="http_500", count=100)
    connection.channel.sandbox_base_url = market.url
    connection.channel.save()
    return market
