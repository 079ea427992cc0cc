"""A webhook event being processed holds a short lease: nobody else takes it while it holds, anyone once it lapses.

The rows here are put in the state a worker's claim leaves them (``processing``, ``claimed_at``, ``lease_until``);
a worker really killed mid-fetch is ``test_event_lease_worker.py``.
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from integrations.inbound import lease
from integrations.inbound.draining import drain
from integrations.inbound.processing import process_webhook_event
from integrations.inbound.sweeping import stuck_event_ids
from integrations.models import WebhookEvent
from orders.models import Order
from tests.channels.sandbox_market_samples import ticket

from .conftest import deliver, market_event

State = WebhookEvent.State


def stored(client, connection, ticket_id: str = "SM-000042") -> int:
    reply = deliver(client, connection, market_event("ticket.created", ticket_id, ticket=ticket(ticket_id)))
    assert reply.status_code == 202, reply.json
    return reply.json["event_id"]


def held_by_a_worker(event_id: int, *, lease_left: float, attempts: int = 1) -> WebhookEvent:
    """The row as a worker's claim leaves it, its lease ending ``lease_left`` seconds from now (negative: lapsed)."""
    now = timezone.now()
    WebhookEvent.objects.filter(pk=event_id).update(
        state=State.PROCESSING,
        attempts=attempts,
        claimed_at=now - timedelta(seconds=30),
        lease_until=now + timedelta(seconds=lease_left),
    )
    return WebhookEvent.objects.get(pk=event_id)


@pytest.mark.django_db
def test_a_claim_takes_a_lease_of_the_configured_length_and_finishing_ends_it(client, connection, settings):
    settings.WEBHOOK_LEASE_SECONDS = 15
    event_id = stored(client, connection)
    before = timezone.now()

    assert process_webhook_event(event_id).state == State.PROCESSED

    event = WebhookEvent.objects.get(pk=event_id)
    assert event.attempts == 1 and before <= event.claimed_at <= timezone.now()
    assert event.lease_until is None  # finished: nobody holds it any more
    assert lease.lease_length() == timedelta(seconds=15)


@pytest.mark.django_db
def test_nobody_takes_an_event_whose_workers_lease_holds(client, connection, settings):
    settings.WEBHOOK_SWEEP_AFTER_SECONDS = 0
    event_id = stored(client, connection)
    held = held_by_a_worker(event_id, lease_left=10)

    outcome = process_webhook_event(event_id)  # a second task for it (the sweeper, a redelivered message)
    report = drain()  # a drain woken by the next webhook

    assert outcome.state == "skipped"
    assert event_id not in stuck_event_ids() and report.processed == [] and report.rescued == []
    event = WebhookEvent.objects.get(pk=event_id)
    assert (event.state, event.attempts, event.claimed_at) == (State.PROCESSING, 1, held.claimed_at)
    assert not Order.objects.exists()


@pytest.mark.django_db
def test_a_lapsed_lease_lets_the_next_drain_take_the_event_and_the_dead_runs_late_writes_change_nothing(
    client, connection
):
    event_id = stored(client, connection)
    dead_run = held_by_a_worker(event_id, lease_left=-1)  # its worker died a second after its last renewal

    assert stuck_event_ids() == [event_id]  # the sweeper would enqueue it too
    report = drain()

    assert report.rescued == report.processed == [event_id]
    event = WebhookEvent.objects.get(pk=event_id)
    assert (event.state, event.attempts) == (State.PROCESSED, 2)
    assert Order.objects.count() == 1
    assert not lease.renew(dead_run)  # the dead run's lease is not its own any more
    assert not lease.fenced(dead_run).exists()  # nor may any late write of it touch the row


@pytest.mark.django_db
def test_which_processing_events_lost_their_worker(client, connection, settings):
    settings.WEBHOOK_PROCESSING_TIMEOUT_SECONDS = 300
    lapsed = stored(client, connection, "SM-1")
    held_by_a_worker(lapsed, lease_left=-0.5)
    live = stored(client, connection, "SM-2")
    held_by_a_worker(live, lease_left=5)
    exhausted = stored(client, connection, "SM-3")  # may be what kills the workers: staff decide
    held_by_a_worker(exhausted, lease_left=-60, attempts=settings.WEBHOOK_MAX_ATTEMPTS)
    before_leases = stored(client, connection, "SM-4")  # claimed by a worker of before the leases: by its age
    WebhookEvent.objects.filter(pk=before_leases).update(
        state=State.PROCESSING, attempts=1, received_at=timezone.now() - timedelta(minutes=6)
    )
    young_before_leases = stored(client, connection, "SM-5")
    WebhookEvent.objects.filter(pk=young_before_leases).update(state=State.PROCESSING, attempts=1)

    assert sorted(lease.lapsed_event_ids()) == sorted([lapsed, before_leases])


@pytest.mark.django_db(transaction=True)
def test_a_working_run_renews_its_lease(client, connection, settings):
    settings.WEBHOOK_LEASE_SECONDS = 0.3
    event_id = stored(client, connection)
    run = held_by_a_worker(event_id, lease_left=0.3)
    first_lease = run.lease_until

    with lease.Lease(run):
        deadline = time.monotonic() + 10  # renewed every 0.1 s; the deadline is for a loaded machine
        while WebhookEvent.objects.get(pk=event_id).lease_until <= first_lease + timedelta(seconds=0.3):
            assert time.monotonic() < deadline, "the lease was not renewed"
            time.sleep(0.05)

    assert WebhookEvent.objects.get(pk=event_id).claimed_at == run.claimed_at  # renewing is not claiming again
