"""Who processes a webhook event: a short lease its worker renews while it works (the outbound jobs' rule).

A claim (``processing``) marks the event ``processing`` and stamps ``claimed_at``
and ``lease_until`` (``WEBHOOK_LEASE_SECONDS`` ahead). While the worker
prepares the event (parsing, fetching the order from the channel) ``Lease``
renews it every third of its length. A worker that dies stops renewing: once
``lease_until`` has passed, the event may be claimed again (the next drain
takes it, the sweeper enqueues it), seconds after the death instead of the
old five minutes. While the lease holds, nobody else claims the event,
however slow the channel. Every write a run makes after its claim is fenced
by ``claimed_at``: a run whose event was handed to another worker (its lease
ran out: a stalled process, a lost database) changes nothing.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from integrations.lease_renewal import LeaseRenewal
from integrations.models import WebhookEvent

logger = logging.getLogger(__name__)

State = WebhookEvent.State


def lease_length() -> timedelta:
    return timedelta(seconds=settings.WEBHOOK_LEASE_SECONDS)


def lapsed(now: datetime) -> Q:
    """``processing`` rows whose worker is gone: the lease passed; rows claimed before leases existed (no
    ``lease_until``) after ``WEBHOOK_PROCESSING_TIMEOUT_SECONDS`` from arrival, the old rule."""
    before_leases = now - timedelta(seconds=settings.WEBHOOK_PROCESSING_TIMEOUT_SECONDS)
    return Q(state=State.PROCESSING) & (
        Q(lease_until__lt=now) | Q(lease_until__isnull=True, received_at__lt=before_leases)
    )


def claimable(now: datetime) -> Q:
    """What a worker may take: an event waiting to be processed, or one whose worker's lease lapsed."""
    return Q(state=State.RECEIVED) | lapsed(now)


def lapsed_event_ids(now: datetime | None = None, limit: int | None = None) -> list[int]:
    """Events left ``processing`` by a dead worker, oldest first.

    One that used up its attempts is left alone (it may be what kills the workers); staff can re-process it.
    """
    now = now or timezone.now()
    lost = WebhookEvent.objects.filter(lapsed(now), attempts__lt=settings.WEBHOOK_MAX_ATTEMPTS)
    oldest_first = lost.order_by("received_at", "id").values_list("pk", flat=True)
    return list(oldest_first[: limit or settings.WEBHOOK_SWEEP_BATCH_SIZE])


def fenced(event: WebhookEvent) -> QuerySet[WebhookEvent]:
    """The event's row, only while this run's claim is still the current one."""
    return WebhookEvent.objects.filter(pk=event.pk, state=State.PROCESSING, claimed_at=event.claimed_at)


def renew(event: WebhookEvent, now: datetime | None = None) -> bool:
    """Extend this run's lease; False once the event is no longer this run's (finished, released, or taken)."""
    return bool(fenced(event).update(lease_until=(now or timezone.now()) + lease_length()))


class Lease(LeaseRenewal):
    """Renews ``event``'s lease every third of its length while the block runs (see ``LeaseRenewal``)."""

    def __init__(self, event: WebhookEvent) -> None:
        self.event = event
        super().__init__(lambda: renew(event), lease_length, f"webhook event {event.pk}", logger)
