"""How long work that failed on a channel waits before its next try: one rule for webhooks and sync jobs.

Exponential backoff with "equal jitter": the n-th retry waits between half and
all of ``base * 2**(n-1)`` (capped). The jitter spreads the retries of many
events or jobs that failed together (a channel outage) so they do not return
as one wave; the floor of half keeps a down channel from being retried at once.
A channel's ``Retry-After`` wins when it asks for longer (up to a bound).

The rule is one; the numbers are each side's ``Schedule``. They differ because
the waits do: a webhook retry is a broker countdown held by a worker, so it
stays short (5 s doubling to 300 s); a sync job's long waits are the
sweeper's, so it may back off further (settings, 10 s doubling to 900 s, a
Retry-After honoured up to an hour).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Schedule:
    """The numbers of one backoff: first step, cap, and the longest Retry-After taken (None: any)."""

    base: float
    cap: float
    retry_after_max: float | None = None


# Webhook events (inbound RetryLater): the numbers it always had. Retry-After is taken as the channel says.
WEBHOOK_EVENTS = Schedule(base=5.0, cap=300.0)


def sync_jobs() -> Schedule:
    """Sync jobs (the outbound runner), read from settings at each call so tests and workers can tune them."""
    return Schedule(
        base=settings.OUTBOUND_BACKOFF_BASE_SECONDS,
        cap=settings.OUTBOUND_BACKOFF_MAX_SECONDS,
        retry_after_max=settings.OUTBOUND_RETRY_AFTER_MAX_SECONDS,
    )


def backoff_seconds(
    attempt: int,
    retry_after: float | None,
    schedule: Schedule,
    *,
    rand: Callable[[], float] = random.random,
) -> float:
    """Seconds to wait after failed attempt number ``attempt`` (1-based)."""
    ceiling = min(schedule.cap, schedule.base * 2 ** max(0, attempt - 1))
    delay = ceiling / 2 + rand() * ceiling / 2
    if retry_after is not None:
        asked = retry_after if schedule.retry_after_max is None else min(retry_after, schedule.retry_after_max)
        delay = max(delay, asked)
    return delay
