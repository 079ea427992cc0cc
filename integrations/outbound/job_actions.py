"""What staff may do to sync jobs by hand: retry one now, cancel one, retry every failed job of a connection or channel.

These are the transitions a person makes, beside the runner's own (``claims``: pending →
running → succeeded, failed or pending again). The rules, in one place:

- **retry** takes a ``failed`` or ``pending`` job back to pending, due now, with a fresh
  attempt budget. Refused while a worker runs it (its result is on its way), once it
  succeeded (the channel has it), once a newer job superseded it (that one carries the
  change), once cancelled (staff said no), and once its deadline passed (the runner would
  only fail it again: the channel no longer wants it).
- **cancel** stops a ``failed`` or ``pending`` job for good. Refused while a worker runs it
  (its call may be reaching the channel right now) and once it is finished any other way.
- **retry all failed** of some connections or channels: every ``failed`` job of theirs,
  under the retry rules (so a job past its deadline stays failed, and says why).

Rows are locked while they are judged and changed (``select_for_update``, as a claim is
fenced), so a worker that takes a job at the same moment either finds it changed or
changed it first; never half of each. Jobs reach a worker only through
``outbox.enqueue`` after commit; a lost publish is the sweeper's (it runs due pending jobs).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from integrations.models import SyncJob

from .outbox import enqueue

State = SyncJob.State
RETRYABLE = (State.FAILED, State.PENDING)
CANCELLABLE = (State.FAILED, State.PENDING)
CANCELLED_BY_STAFF = "cancelled by staff"
_JUDGED = ("id", "kind", "state", "deadline_at", "last_error")  # never the payload: a catalog's is the whole menu

_RETRY_REFUSED = {
    State.RUNNING: "a worker is running it now; retry it once that attempt has finished",
    State.SUCCEEDED: "it already succeeded: the channel has it",
    State.SUPERSEDED: "a newer job carries the same change",
    State.CANCELLED: "it was cancelled",
}
_CANCEL_REFUSED = {
    State.RUNNING: "a worker is running it now: its call may already be reaching the channel",
    State.SUCCEEDED: "it already succeeded: the channel has it",
    State.SUPERSEDED: "it is already finished: a newer job superseded it",
    State.CANCELLED: "it is already cancelled",
}


@dataclass(frozen=True)
class Refusal:
    """A job an action left as it was, and why (in words staff can act on)."""

    job_id: int
    reason: str


@dataclass(frozen=True)
class JobsChanged:
    """Which jobs an action changed, and the refused ones with their reasons."""

    changed: tuple[int, ...]
    refused: tuple[Refusal, ...] = ()

    @property
    def count(self) -> int:
        return len(self.changed)

    def refusals_by_reason(self) -> dict[str, list[int]]:
        """Refused job ids grouped by reason (a hundred failed jobs past their deadline make one line)."""
        grouped: dict[str, list[int]] = {}
        for refusal in self.refused:
            grouped.setdefault(refusal.reason, []).append(refusal.job_id)
        return grouped


def why_not_retry(job: SyncJob, now: datetime) -> str | None:
    """None when ``job`` may be retried now, else the reason it may not."""
    if job.state in _RETRY_REFUSED:
        reason = _RETRY_REFUSED[job.state]
        if job.state == State.SUPERSEDED and job.last_error:
            reason = f"{reason} ({job.last_error})"
        return reason
    if job.deadline_at is not None and job.deadline_at <= now:
        return f"its deadline passed at {job.deadline_at:%Y-%m-%d %H:%M:%S %Z}: the channel no longer wants it"
    return None


def why_not_cancel(job: SyncJob) -> str | None:
    """None when ``job`` may be cancelled, else the reason it may not."""
    return _CANCEL_REFUSED.get(job.state)


def retry_jobs(job_ids: Iterable[int]) -> JobsChanged:
    """Retry the jobs the rules allow: pending, due now, ``max_attempts`` raised past the attempts made.

    Why a fresh budget: staff retry after fixing the cause, so the job deserves as many
    tries as a new one, while its attempt count stays the truth about what happened.
    Each retried job is published once, after commit.
    """
    now = timezone.now()
    with transaction.atomic():
        jobs, refused = _judge(job_ids, lambda job: why_not_retry(job, now))
        SyncJob.objects.filter(pk__in=[job.pk for job in jobs], state__in=RETRYABLE).update(
            state=State.PENDING,
            next_attempt_at=now,
            finished_at=None,
            max_attempts=F("attempts") + settings.OUTBOUND_MAX_ATTEMPTS,
            updated_at=now,
        )
        for job in jobs:
            transaction.on_commit(partial(enqueue, job.pk, job.kind))
    return JobsChanged(tuple(job.pk for job in jobs), refused)


def cancel_jobs(job_ids: Iterable[int]) -> JobsChanged:
    """Cancel the jobs the rules allow: ``cancelled``, finished now, ``last_error`` saying staff did it.

    Why only failed and pending: anything else either is with a worker (its call may have
    reached the channel, so "cancelled" would be a lie) or already finished.
    """
    now = timezone.now()
    with transaction.atomic():
        jobs, refused = _judge(job_ids, why_not_cancel)
        SyncJob.objects.filter(pk__in=[job.pk for job in jobs], state__in=CANCELLABLE).update(
            state=State.CANCELLED, finished_at=now, last_error=CANCELLED_BY_STAFF, updated_at=now
        )
    return JobsChanged(tuple(job.pk for job in jobs), refused)


def retry_failed_jobs(
    *, connection_ids: Iterable[int] = (), channel_ids: Iterable[int] = ()
) -> JobsChanged:
    """Retry every failed job of these connections and of every connection of these channels.

    Why: after the cause is fixed (credentials, a mapping, the channel's outage) staff want
    everything that failed for it to go again, not job by job. Pending jobs are already on
    their way and are not touched; failed jobs past their deadline are refused (see ``retry_jobs``).
    """
    connections, channels = list(connection_ids), list(channel_ids)
    if not connections and not channels:
        return JobsChanged(())
    failed = SyncJob.objects.filter(
        Q(connection_id__in=connections) | Q(connection__channel_id__in=channels), state=State.FAILED
    )
    return retry_jobs(failed.values_list("pk", flat=True))


def _judge(
    job_ids: Iterable[int], why_not: Callable[[SyncJob], str | None]
) -> tuple[list[SyncJob], tuple[Refusal, ...]]:
    """Lock the jobs (inside the caller's transaction); the allowed ones, and a refusal for each other id."""
    ids = sorted(set(job_ids))
    found = {job.pk: job for job in SyncJob.objects.filter(pk__in=ids).only(*_JUDGED).select_for_update()}
    allowed, refused = [], []
    for job_id in ids:
        job = found.get(job_id)
        reason = "there is no such job" if job is None else why_not(job)
        if reason is None:
            allowed.append(job)
        else:
            refused.append(Refusal(job_id, reason))
    return allowed, tuple(refused)
