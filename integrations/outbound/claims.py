"""Who runs a job: claiming, releasing and finishing it, fenced by the claim's start time.

A claim is one compare-and-set ``UPDATE … WHERE state = 'pending' AND
next_attempt_at <= now``: atomic on PostgreSQL (the second updater re-checks
the row after the first commits) and on SQLite (one writer at a time), with no
lock held during the channel call. Every later write is fenced by
``started_at``: if the sweeper handed a stuck job to another worker, the old
worker's late result changes nothing.

A claim also holds a short lease (``OUTBOUND_LEASE_SECONDS``) that the worker
renews while its call lasts (``Lease``), so the work of a dead worker is handed
out again within seconds of its death, not minutes; a live worker's job is
never handed out, however slow the channel.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from integrations.lease_renewal import LeaseRenewal
from integrations.models import SyncJob

logger = logging.getLogger("integrations.outbound")

UNFINISHED = (SyncJob.State.PENDING, SyncJob.State.RUNNING)


def lease_length() -> timedelta:
    return timedelta(seconds=settings.OUTBOUND_LEASE_SECONDS)


def claim(job_id: int, now: datetime | None = None) -> SyncJob | None:
    """Take the job if it is pending and due; None if another worker has it, it is finished or not due."""
    now = now or timezone.now()
    taken = SyncJob.objects.filter(pk=job_id, state=SyncJob.State.PENDING, next_attempt_at__lte=now).update(
        state=SyncJob.State.RUNNING, started_at=now, lease_until=now + lease_length(), updated_at=now
    )
    if not taken:
        return None
    return SyncJob.objects.select_related("connection__channel", "connection__restaurant").get(pk=job_id)


def fenced(job: SyncJob):
    """The job's row, only while this worker's claim is still the current one."""
    return SyncJob.objects.filter(pk=job.pk, state=SyncJob.State.RUNNING, started_at=job.started_at)


def renew(job: SyncJob, now: datetime | None = None) -> bool:
    """Extend this worker's lease; False once the job is no longer this worker's (reclaimed or finished)."""
    return bool(fenced(job).update(lease_until=(now or timezone.now()) + lease_length()))


class Lease(LeaseRenewal):
    """Renews ``job``'s lease every third of its length while the block runs (see ``LeaseRenewal``)."""

    def __init__(self, job: SyncJob) -> None:
        self.job = job
        super().__init__(lambda: renew(job), lease_length, f"sync job {job.pk}", logger)


def release(job: SyncJob, at: datetime, waiting: str) -> bool:
    """Back to pending until ``at``, without an attempt (lane, circuit, rate limit, polling)."""
    result = {**job.result, "waiting": waiting}
    return bool(
        fenced(job).update(state=SyncJob.State.PENDING, next_attempt_at=at, result=result, updated_at=timezone.now())
    )


def count_attempt(job: SyncJob) -> None:
    fenced(job).update(attempts=F("attempts") + 1)
    job.attempts += 1


def finish(job: SyncJob, state: str, *, result: dict[str, Any] | None = None, error: str = "") -> bool:
    now = timezone.now()
    fields: dict[str, Any] = {"state": state, "finished_at": now, "updated_at": now, "last_error": error}
    if result is not None:
        fields["result"] = result
    return bool(fenced(job).update(**fields))


def retry_later(job: SyncJob, at: datetime, error: str, result: dict[str, Any] | None = None) -> bool:
    now = timezone.now()
    fields: dict[str, Any] = {
        "state": SyncJob.State.PENDING,
        "next_attempt_at": at,
        "last_error": error,
        "updated_at": now,
    }
    if result is not None:
        fields["result"] = result
    return bool(fenced(job).update(**fields))


def reclaim_stuck(now: datetime, cutoff: datetime) -> list[int]:
    """Jobs left ``running`` by a worker that died (its lease passed): pending again, due now.

    ``cutoff`` is for rows claimed before leases existed: running since before it.
    """
    lost = Q(lease_until__lt=now) | Q(lease_until__isnull=True, started_at__lt=cutoff)
    ids = list(SyncJob.objects.filter(lost, state=SyncJob.State.RUNNING).values_list("id", flat=True))
    reclaimed = []
    for job_id in ids:
        if SyncJob.objects.filter(lost, pk=job_id, state=SyncJob.State.RUNNING).update(
            state=SyncJob.State.PENDING,
            next_attempt_at=now,
            last_error="the worker stopped in the middle of an attempt; run again",
            updated_at=now,
        ):
            reclaimed.append(job_id)
    return reclaimed
