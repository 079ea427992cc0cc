"""The sweeper: events a lost enqueue or a crashed worker left behind go back to the queue.

Re-enqueueing is always safe (processing skips finished events and serializes
on the event row), so the sweeper may be generous.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from integrations.models import WebhookEvent

from .queueing import enqueue_event

State = WebhookEvent.State


def stuck_event_ids(now: datetime | None = None, limit: int | None = None) -> list[int]:
    """Events still ``received`` a while after arrival, or ``processing`` past the worker timeout.

    A ``processing`` event that used up its attempts is left alone (it may be what crashes the workers);
    staff can re-process it. A ``received`` one is swept whatever its attempts: it waits for a fetch the
    channel could not serve yet, whose retries the window bounds, not the count (``fetching``); were its
    retry lost, nothing else would finish it. Its next run ends it (done, or failed once the window is over).
    """
    now = now or timezone.now()
    received_before = now - timedelta(seconds=settings.WEBHOOK_SWEEP_AFTER_SECONDS)
    processing_before = now - timedelta(seconds=settings.WEBHOOK_PROCESSING_TIMEOUT_SECONDS)
    stuck = WebhookEvent.objects.filter(
        Q(state=State.RECEIVED, received_at__lt=received_before)
        | Q(state=State.PROCESSING, received_at__lt=processing_before, attempts__lt=settings.WEBHOOK_MAX_ATTEMPTS)
    )
    return list(
        stuck.order_by("received_at", "id").values_list("pk", flat=True)[: limit or settings.WEBHOOK_SWEEP_BATCH_SIZE]
    )


def sweep(now: datetime | None = None) -> list[int]:
    """Enqueue every stuck event; returns their ids."""
    ids = stuck_event_ids(now)
    for event_id in ids:
        enqueue_event(event_id)
    return ids
