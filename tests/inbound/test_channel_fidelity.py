"""Processing keeps the channel's raw order and takes courier updates through the orders door."""

from __future__ import annotations

import json
import uuid

import pytest
from django.utils import timezone

from integrations.models import WebhookEvent
from orders.models import CourierReport, Order
from tests.channels.sandbox_market_samples import ticket
from tests.factories.integrations import ChannelFactory, ConnectionFactory

from .conftest import deliver, market_event, process

pytestmark = pytest.mark.django_db


def received(client, connection, body: bytes) -> int:
    reply = deliver(client, connection, body)
    assert 200 <= reply.status_code < 300, reply.json
    return reply.json["event_id"]


def test_an_order_that_came_whole_in_its_webhook_keeps_that_body_as_its_raw_copy(client, connection):
    body = market_event("ticket.created", "SM-000042", ticket=ticket())

    event = process(received(client, connection, body))

    assert event.state == WebhookEvent.State.PROCESSED, event.error
    assert Order.objects.get().channel_payload == json.loads(body)


@pytest.fixture
def courier_connection(settings, db):
    settings.SINQRO_EXTRA_CHANNEL_MODULES = ["tests.inbound.courier_module.CourierMarket"]
    return ConnectionFactory(channel=ChannelFactory(module="courier_market"), store_id="casa-lucia")


def courier_webhook(ticket_id: str, stage: str, name: str = "Ana") -> bytes:
    return json.dumps({"event_id": str(uuid.uuid4()), "ticket_id": ticket_id, "occurred_at": timezone.now().isoformat(),
                       "courier": {"stage": stage, "name": name, "lat": "40.4168", "lng": "-3.7038"}}).encode()


def order_arrives(client, connection, ticket_id: str) -> None:
    event = process(received(client, connection, market_event("ticket.created", ticket_id, ticket=ticket(ticket_id))))
    assert event.state == WebhookEvent.State.PROCESSED, event.error


def test_a_courier_update_reaches_the_orders_delivery(client, courier_connection):
    order_arrives(client, courier_connection, "SM-000050")

    event = process(received(client, courier_connection, courier_webhook("SM-000050", "arriving")))

    assert event.state == WebhookEvent.State.PROCESSED, event.error
    order = Order.objects.get()
    assert event.order == order and event.event_type == "courier_update"
    delivery = order.deliveries.order_by("-id").first()
    assert (delivery.stage, delivery.courier_status, delivery.driver_name) == ("arriving", "ARRIVING", "Ana")
    assert CourierReport.objects.get().correlation_id == event.correlation_id


def test_a_courier_update_processed_again_is_taken_once(client, courier_connection):
    order_arrives(client, courier_connection, "SM-000051")
    event_id = received(client, courier_connection, courier_webhook("SM-000051", "at_restaurant"))
    process(event_id)

    WebhookEvent.objects.filter(pk=event_id).update(state=WebhookEvent.State.RECEIVED)
    process(event_id)

    assert CourierReport.objects.count() == 1


def test_a_courier_update_for_an_order_we_do_not_have_is_ignored_with_the_reason(client, courier_connection):
    event = process(received(client, courier_connection, courier_webhook("SM-404", "assigned")))

    assert event.state == WebhookEvent.State.IGNORED
    assert event.error == "courier update for order SM-404, which we do not have"
