"""The sweeper: events a lost enqueue or a crashed worker left behind go back to the queue.

Re-enqueueing is always safe (processing skips finished events and events
whose worker's lease holds, and serializes on the event row), so the sweeper
may be generous. Drains take lapsed events too, as soon as the next webhook
wakes one; the sweeper is the net when no webhook comes.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from integrations.models import WebhookEvent

from .lease import lapsed_event_ids
from .queueing import enqueue_event

State = WebhookEvent.State


def stuck_event_ids(now: datetime | None = None, limit: int | None = None) -> list[int]:
    """Events still ``received`` a while after arrival, or ``processing`` under a lapsed lease (``lease``).

    A ``processing`` event that used up its attempts is left alone (it may be what crashes the workers);
    staff can re-process it. A ``received`` one is swept whatever its attempts: it waits for a fetch the
    channel could not serve yet, whose retries the window bounds, not the count (``fetching``); were its
    retry lost, nothing else would finish it. Its next run ends it (done, or failed once the window is over).
    """
    now = now or timezone.now()
    limit = limit or settings.WEBHOOK_SWEEP_BATCH_SIZE
    received_before = now - timedelta(seconds=settings.WEBHOOK_SWEEP_AFTER_SECONDS)
    waiting = WebhookEvent.objects.filter(state=State.RECEIVED, received_at__lt=received_before)
    lost = lapsed_event_ids(now, limit)
    return lost + list(waiting.order_by("received_at", "id").values_list("pk", flat=True)[: limit - len(lost)])


def sweep(now: datetime | None = None) -> list[int]:
    """Enqueue every stuck event; returns their ids."""
    ids = stuck_event_ids(now)
    for event_id in ids:
        enqueue_event(event_id)
    return ids
