"""A disabled connection loses nothing: what arrives is held, processed once enabled, or discarded by staff."""

from __future__ import annotations

import pytest

from integrations.connection_actions import set_enabled
from integrations.inbound import event_actions
from integrations.inbound.draining import drain
from integrations.models import Connection, WebhookEvent
from orders.models import Order
from tests.channels.sandbox_market_samples import ticket
from tests.factories.restaurants import UserFactory

from .conftest import deliver, market_event

pytestmark = pytest.mark.django_db
State = WebhookEvent.State


def _disabled(connection: Connection) -> Connection:
    set_enabled([connection.pk], enabled=False)
    connection.refresh_from_db()
    return connection


def _send_order(client, connection, ticket_id: str) -> int:
    reply = deliver(client, connection, market_event("ticket.created", ticket_id, ticket=ticket(ticket_id)))
    assert reply.status_code == 202, reply.json
    return reply.json["event_id"]


def test_orders_sent_while_disabled_wait_then_arrive_once_the_connection_is_enabled(client, connection):
    _disabled(connection)
    first, second = _send_order(client, connection, "SM-1"), _send_order(client, connection, "SM-2")

    drain()  # a worker looking for work finds none: held events are not processed
    assert set(WebhookEvent.objects.values_list("state", flat=True)) == {State.HELD}
    assert not Order.objects.exists()

    switched = set_enabled([connection.pk], enabled=True)
    assert switched.released == 2
    drain()

    assert set(WebhookEvent.objects.values_list("state", flat=True)) == {State.PROCESSED}
    assert sorted(Order.objects.values_list("channel_order_id", flat=True)) == ["SM-1", "SM-2"]
    assert WebhookEvent.objects.get(pk=first).order.channel_order_id == "SM-1"
    assert WebhookEvent.objects.get(pk=second).order.channel_order_id == "SM-2"


def test_enabling_a_connection_of_a_disabled_channel_keeps_its_events_held(client, connection):
    _disabled(connection)
    _send_order(client, connection, "SM-1")
    connection.channel.enabled = False
    connection.channel.save()

    assert set_enabled([connection.pk], enabled=True).released == 0
    assert WebhookEvent.objects.get().state == State.HELD


def test_staff_discard_held_events_and_cannot_reprocess_them_while_held(client, connection):
    _disabled(connection)
    kept, dropped = _send_order(client, connection, "SM-1"), _send_order(client, connection, "SM-2")

    refused = event_actions.reprocess_events([kept])
    assert refused.count == 0 and "enable the connection" in refused.refused[0].reason
    done = event_actions.discard_held([dropped])
    assert done.reset == (dropped,)
    assert event_actions.discard_held([dropped]).refused[0].reason == "it is ignored, not held"

    set_enabled([connection.pk], enabled=True)
    drain()
    assert WebhookEvent.objects.get(pk=kept).state == State.PROCESSED
    discarded = WebhookEvent.objects.get(pk=dropped)
    assert discarded.state == State.IGNORED and "discarded by staff" in discarded.error
    assert list(Order.objects.values_list("channel_order_id", flat=True)) == ["SM-1"]


def test_disabling_in_admin_says_what_will_happen_and_asks_first(client, connection):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = "/admin/integrations/connection/"
    chosen = {"action": "disable_connections", "_selected_action": [connection.pk]}

    asked = client.post(url, chosen)

    assert asked.status_code == 200
    page = asked.content.decode()
    assert "Orders keep arriving but wait" in page and "held" in page and str(connection) in page
    connection.refresh_from_db()
    assert connection.enabled  # nothing changed yet

    client.post(url, {**chosen, "confirmed": "yes"})
    connection.refresh_from_db()
    assert not connection.enabled

    _send_order(client, connection, "SM-9")
    client.post(url, {"action": "enable_connections", "_selected_action": [connection.pk]})
    drain()
    assert Order.objects.filter(channel_order_id="SM-9").exists()
    assert "enabled" not in client.get(f"{url}{connection.pk}/change/").context["adminform"].form.fields
