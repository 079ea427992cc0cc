"""The sweeper re-enqueues events a lost enqueue or a crashed worker left behind."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.utils import timezone

from integrations.enqueue import DRAIN_RECEIVED_EVENTS, PROCESS_WEBHOOK_EVENT
from integrations.inbound.queueing import enqueue_event, wake_drain
from integrations.inbound.sweeping import stuck_event_ids, sweep
from integrations.models import WebhookEvent
from orders.models import Order
from sinqro_platform.celery import app
from tests.channels.sandbox_market_samples import ticket
from tests.unreachable_broker import unreachable_broker

from .conftest import deliver, market_event

pytestmark = pytest.mark.django_db


def stored(
    client, connection, body: bytes | None = None, *, minutes_ago: int, state=WebhookEvent.State.RECEIVED
) -> int:
    body = body or market_event("ticket.created", "SM-1")
    event_id = deliver(client, connection, body).json["event_id"]
    WebhookEvent.objects.filter(pk=event_id).update(
        received_at=timezone.now() - timedelta(minutes=minutes_ago), state=state
    )
    return event_id


@pytest.fixture
def eager_tasks():
    """Tasks run in this process when enqueued (the real worker is the end-to-end tests' business)."""
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def test_an_event_left_in_received_is_processed_by_the_sweeper(client, connection, eager_tasks):
    event_id = stored(client, connection, market_event("ticket.created", "SM-000042", ticket=ticket()), minutes_ago=5)
    from integrations.inbound.tasks import sweep_webhook_events

    assert sweep_webhook_events.apply().get() == 1

    assert WebhookEvent.objects.get(pk=event_id).state == WebhookEvent.State.PROCESSED
    assert Order.objects.count() == 1


def test_which_events_are_stuck(client, connection, settings):
    settings.WEBHOOK_SWEEP_AFTER_SECONDS = 60
    settings.WEBHOOK_PROCESSING_TIMEOUT_SECONDS = 300
    lost = stored(client, connection, minutes_ago=2)
    stored(client, connection, minutes_ago=0)  # just arrived: its task is on the way
    crashed = stored(client, connection, minutes_ago=10, state=WebhookEvent.State.PROCESSING)
    stored(client, connection, minutes_ago=2, state=WebhookEvent.State.PROCESSING)  # still running
    stored(client, connection, minutes_ago=10, state=WebhookEvent.State.FAILED)
    exhausted = stored(client, connection, minutes_ago=10, state=WebhookEvent.State.PROCESSING)  # crashes workers?
    WebhookEvent.objects.filter(pk=exhausted).update(attempts=settings.WEBHOOK_MAX_ATTEMPTS)
    # Waiting for a fetch the channel could not serve yet, its retry lost: the window bounds it, not the count.
    fetch_waiting = stored(client, connection, minutes_ago=2)
    WebhookEvent.objects.filter(pk=fetch_waiting).update(attempts=settings.WEBHOOK_MAX_ATTEMPTS + 1)

    assert sorted(stuck_event_ids()) == sorted([lost, crashed, fetch_waiting])


def test_a_publish_the_broker_refuses_is_logged_and_leaves_the_event_to_the_sweeper(
    client, connection, caplog, published, settings
):
    event_id = stored(client, connection, minutes_ago=0)

    with unreachable_broker(), caplog.at_level(logging.ERROR, logger="integrations.enqueue"):
        assert wake_drain() is False  # what the webhook endpoint does once the row is committed
        assert enqueue_event(event_id) is False  # what staff re-processing and a retry do
    failed_attempts = len(published)

    assert [record.getMessage() for record in caplog.records] == [
        f"could not publish {DRAIN_RECEIVED_EVENTS}(); the sweeper will pick it up",
        f"could not publish {PROCESS_WEBHOOK_EVENT}({event_id},); the sweeper will pick it up",
    ]
    assert all(record.exc_info for record in caplog.records)  # the broker's error, for whoever reads the log
    event = WebhookEvent.objects.get(pk=event_id)
    assert (event.state, event.attempts) == (WebhookEvent.State.RECEIVED, 0)

    # The broker is back. The refused wake-up left no flag behind, and the sweeper finds the event.
    later = timezone.now() + timedelta(seconds=settings.WEBHOOK_SWEEP_AFTER_SECONDS + 1)
    assert sweep(now=later) == [event_id]
    assert wake_drain() is True
    assert [(m.task, m.args, m.queue) for m in published[failed_attempts:]] == [
        (PROCESS_WEBHOOK_EVENT, (event_id,), "inbound"),
        (DRAIN_RECEIVED_EVENTS, (), "inbound"),
    ]
