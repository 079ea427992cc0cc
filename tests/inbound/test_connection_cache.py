"""The web process keeps the connection it found by token for a few seconds; a change empties it at once."""

from __future__ import annotations

import pytest
from django.db import connection as db
from django.test.utils import CaptureQueriesContext

from integrations.admin.connections import ConnectionAdmin
from integrations.inbound import receiving
from integrations.models import Connection, WebhookEvent
from tests.channels.sandbox_market_samples import ticket

from .conftest import deliver, market_event


@pytest.fixture(autouse=True)
def _empty_cache():
    receiving.forget_connections()
    yield
    receiving.forget_connections()


@pytest.mark.django_db(transaction=True)
def test_a_second_webhook_of_a_connection_costs_one_query_the_insert(client, connection):
    assert deliver(client, connection, market_event("ticket.created", "SM-1", ticket=ticket())).status_code == 202

    with CaptureQueriesContext(db) as queries:
        reply = deliver(client, connection, market_event("ticket.created", "SM-2", ticket=ticket()))

    assert reply.status_code == 202
    assert [query["sql"].split()[0] for query in queries] == ["INSERT"]


@pytest.mark.parametrize("disable", ["connection", "channel"])
def test_disabling_a_cached_connection_or_its_channel_takes_effect_at_once(client, connection, disable):
    assert deliver(client, connection, market_event("ticket.created", "SM-1")).status_code == 202
    target = connection if disable == "connection" else connection.channel
    target.enabled = False
    target.save()

    assert _held(deliver(client, connection, market_event("ticket.created", "SM-2")))


def _held(reply) -> bool:
    """A disabled connection's webhook is answered as usual and stored held: how a test sees the cache knew."""
    assert reply.status_code == 202, reply.json
    return WebhookEvent.objects.get(pk=reply.json["event_id"]).state == WebhookEvent.State.HELD


def test_the_admin_disable_action_empties_the_cache_too(client, connection, rf, admin_user):
    assert deliver(client, connection, market_event("ticket.created", "SM-1")).status_code == 202
    request = rf.post("/admin/", {"confirmed": "yes"})
    request.user = admin_user
    admin = ConnectionAdmin(Connection, None)
    admin.message_user = lambda *args, **kwargs: None

    admin.disable_connections(request, Connection.objects.filter(pk=connection.pk))

    assert _held(deliver(client, connection, market_event("ticket.created", "SM-2")))


def test_after_the_cache_time_the_connection_is_read_again(client, connection, settings, monkeypatch):
    settings.WEBHOOK_CONNECTION_CACHE_SECONDS = 5
    clock = [1000.0]
    monkeypatch.setattr(receiving, "_clock", lambda: clock[0])
    assert deliver(client, connection, market_event("ticket.created", "SM-1")).status_code == 202
    Connection.objects.filter(pk=connection.pk).update(enabled=False)  # elsewhere: no signal reaches us

    assert not _held(deliver(client, connection, market_event("ticket.created", "SM-2")))
    clock[0] += 5.1
    assert _held(deliver(client, connection, market_event("ticket.created", "SM-3")))


def test_a_replaced_webhook_secret_takes_effect_at_once(client, connection):
    assert deliver(client, connection, market_event("ticket.created", "SM-1")).status_code == 202
    connection.credentials = {**connection.credentials, "webhook_secret": "whsec_rotated_" + "x" * 20}
    connection.save()

    refused = deliver(client, connection, market_event("ticket.created", "SM-2"))  # signed with the old secret

    assert refused.status_code == 401
