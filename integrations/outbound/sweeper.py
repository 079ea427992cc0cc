"""The safety net: run due jobs whatever the broker did, and rescue jobs a dead worker left running.

Runs every 10 s from beat. Long backoffs rely on it, not on broker
countdowns (a countdown lives in a worker's memory and dies with it).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from integrations.models import SyncJob

from .claims import reclaim_stuck
from .outbox import enqueue
from .rate_limiter import purge_expired_windows

BATCH = 500


def sweep_due_jobs() -> dict[str, int]:
    now = timezone.now()
    reclaimed = reclaim_stuck(now, now - timedelta(seconds=settings.OUTBOUND_RUNNING_TIMEOUT_SECONDS))
    due = list(
        SyncJob.objects.filter(state=SyncJob.State.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("id", "kind")[:BATCH]
    )
    for job_id, kind in due:
        enqueue(job_id, kind)
    purged = purge_expired_windows()
    return {"reclaimed": len(reclaimed), "enqueued": len(due), "purged_windows": purged}
