"""Run one sync job: claim, check lane / deadline / circuit / rate limit, call, record, decide what next.

Called by the ``run_sync_job`` task (and by tests directly). Safe to call any
number of times for the same job: only a pending, due job is claimed, and
every write after the claim is fenced (see ``claims``).
"""

from __future__ import annotations

import logging
import random
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from integrations.channels.base import ChannelModule
from integrations.channels.limits import CountsFrom, Deadline
from integrations.channels.registry import get_module
from integrations.connections import client_for
from integrations.http import ChannelError, PermanentChannelError, RetryableChannelError
from integrations.models import SyncAttempt, SyncJob
from integrations.retry_policy import backoff_seconds, sync_jobs

from . import circuit_breaker, claims, lanes, rate_limiter
from .handlers import HANDLERS, Done, Outcome, is_poll, operation_of
from .outbox import enqueue

logger = logging.getLogger("integrations.outbound")

INTERRUPTED = "interrupted: the worker stopped before this attempt finished"


def run_sync_job(job_id: int) -> str:
    """Run the job if it is due; return what happened, in a word (for logs and tests)."""
    job = claims.claim(job_id)
    if job is None:
        return "not claimed"
    connection = job.connection
    module = get_module(connection.channel.module)
    now = timezone.now()

    blocker = lanes.earlier_unfinished(job)
    if blocker is not None:
        return _wait(job, now + timedelta(seconds=settings.OUTBOUND_LANE_WAIT_SECONDS), f"waiting for job {blocker}")
    if job.deadline_at is not None and now > job.deadline_at:
        return _fail(job, too_late(module, job))
    circuit_until = circuit_breaker.open_until(connection.pk, now)
    if circuit_until is not None:
        return _wait(
            job, circuit_until + timedelta(seconds=random.random()), "circuit open: the channel is unreachable"
        )
    verdict = rate_limiter.acquire(module.rate_limits, operation_of(job), job, connection.channel_id)
    if not verdict.allowed:
        at = now + timedelta(seconds=verdict.wait)
        return _wait(job, at, "rate limit: the channel's declared limit is spent for now")
    return _attempt(job, module)


def _attempt(job: SyncJob, module: ChannelModule) -> str:
    polling = is_poll(job)
    if not polling:
        claims.count_attempt(job)
    attempt = SyncAttempt.objects.create(
        job=job,
        number=job.attempt_rows.count() + 1,
        outcome=SyncAttempt.Outcome.RETRYABLE,  # until we know better: a crash leaves this trace
        error=INTERRUPTED,
    )
    started = time.monotonic()
    try:
        client = client_for(job.connection, correlation_id=job.correlation_id, sync_attempt_id=attempt.pk)
        with claims.Lease(job):  # renewed while the channel takes its time; a dead worker's lease runs out
            outcome = HANDLERS[job.kind](job, client, module, job.connection)
    except RetryableChannelError as exc:
        _close_attempt(attempt, started, SyncAttempt.Outcome.RETRYABLE, exc)
        circuit_breaker.record_retryable_failure(job.connection_id)
        return _retry(job, module, str(exc), exc.retry_after)
    except PermanentChannelError as exc:
        _close_attempt(attempt, started, SyncAttempt.Outcome.PERMANENT, exc)
        return _fail(job, exc.message or str(exc))
    except Exception as exc:
        # Our side failed (bad stored credentials, a bug): nothing a retry soon will fix,
        # so the job fails at once and staff retry it from admin after the fix.
        logger.exception("sync job %s failed on our side", job.pk)
        _close_attempt(attempt, started, SyncAttempt.Outcome.PERMANENT, exc)
        return _fail(job, f"{type(exc).__name__}: {exc}")
    _close_attempt(attempt, started, SyncAttempt.Outcome.OK, None)
    circuit_breaker.record_success(job.connection_id)
    return _after(job, outcome)


def _after(job: SyncJob, outcome: Outcome) -> str:
    if isinstance(outcome, Done):
        claims.finish(job, SyncJob.State.SUCCEEDED, result=outcome.result)
        _wake_next(job)
        return "succeeded"
    wait = settings.OUTBOUND_PUBLISH_POLL_SECONDS if outcome.wait_seconds is None else outcome.wait_seconds
    at = timezone.now() + timedelta(seconds=wait)
    claims.retry_later(job, at, "", result=outcome.result)
    enqueue(job.pk, job.kind, countdown=wait)
    return "processing"


def _retry(job: SyncJob, module: ChannelModule, error: str, retry_after: float | None) -> str:
    if job.attempts >= job.max_attempts:
        return _fail(job, f"gave up after {job.attempts} attempts: {error}")
    delay = backoff_seconds(job.attempts, retry_after, sync_jobs())
    at = timezone.now() + timedelta(seconds=delay)
    if job.deadline_at is not None and at > job.deadline_at:
        return _fail(job, f"{too_late(module, job)}; last error: {error}")
    claims.retry_later(job, at, error)
    enqueue(job.pk, job.kind, countdown=delay)
    return "retrying"


def _wait(job: SyncJob, at: datetime, why: str) -> str:
    claims.release(job, at, why)
    enqueue(job.pk, job.kind, countdown=max(0.0, (at - timezone.now()).total_seconds()))
    return "waiting"


def _fail(job: SyncJob, error: str) -> str:
    claims.finish(job, SyncJob.State.FAILED, error=error)
    _wake_next(job)
    return "failed"


def _wake_next(job: SyncJob) -> None:
    following = lanes.next_in_lane(job)
    if following is not None:
        enqueue(following.pk, following.kind)


def _close_attempt(attempt: SyncAttempt, started: float, outcome: str, exc: BaseException | None) -> None:
    attempt.duration_ms = int((time.monotonic() - started) * 1000)
    attempt.outcome = outcome
    attempt.status_code = exc.status_code if isinstance(exc, ChannelError) else None
    attempt.error = "" if exc is None else (exc.message if isinstance(exc, ChannelError) else str(exc))[:2000]
    attempt.save(update_fields=["duration_ms", "outcome", "status_code", "error"])


def _declared_deadline(module: ChannelModule, job: SyncJob) -> Deadline | None:
    status = (job.payload.get("update") or {}).get("status")
    return next((deadline for deadline in module.deadlines if deadline.status == status), None)


def too_late(module: ChannelModule, job: SyncJob) -> str:
    """The module's own words for the deadline this job missed (in the connection's market)."""
    deadline = _declared_deadline(module, job)
    if deadline is None:
        return "too late: the channel's deadline for this change has passed"
    window = deadline.within_for(job.connection.restaurant.currency) if deadline.in_markets else deadline.within
    minutes = window.total_seconds() / 60
    start = "" if deadline.counts_from == CountsFrom.PLACED_AT else f" of {deadline.counts_from}"
    return f"too late: the channel wanted {deadline.status} within {minutes:g} min{start} ({deadline.consequence})"
