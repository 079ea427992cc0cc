"""Who runs a job: claiming, releasing and finishing it, fenced by the claim's start time.

A claim is one compare-and-set ``UPDATE … WHERE state = 'pending' AND
next_attempt_at <= now``: atomic on PostgreSQL (the second updater re-checks
the row after the first commits) and on SQLite (one writer at a time), with no
lock held during the channel call. Every later write is fenced by
``started_at``: if the sweeper handed a stuck job to another worker, the old
worker's late result changes nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import F
from django.utils import timezone

from integrations.models import SyncJob

UNFINISHED = (SyncJob.State.PENDING, SyncJob.State.RUNNING)


def claim(job_id: int, now: datetime | None = None) -> SyncJob | None:
    """Take the job if it is pending and due; None if another worker has it, it is finished or not due."""
    now = now or timezone.now()
    taken = SyncJob.objects.filter(pk=job_id, state=SyncJob.State.PENDING, next_attempt_at__lte=now).update(
        state=SyncJob.State.RUNNING, started_at=now, updated_at=now
    )
    if not taken:
        return None
    return SyncJob.objects.select_related("connection__channel", "connection__restaurant").get(pk=job_id)


def fenced(job: SyncJob):
    """The job's row, only while this worker's claim is still the current one."""
    return SyncJob.objects.filter(pk=job.pk, state=SyncJob.State.RUNNING, started_at=job.started_at)


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
    """Jobs left ``running`` by a worker that died: pending again, due now."""
    ids = list(SyncJob.objects.filter(state=SyncJob.State.RUNNING, started_at__lt=cutoff).values_list("id", flat=True))
    reclaimed = []
    for job_id in ids:
        if SyncJob.objects.filter(pk=job_id, state=SyncJob.State.RUNNING, started_at__lt=cutoff).update(
            state=SyncJob.State.PENDING,
            next_attempt_at=now,
            last_error="the worker stopped in the middle of an attempt; run again",
            updated_at=now,
        ):
            reclaimed.append(job_id)
    return reclaimed
