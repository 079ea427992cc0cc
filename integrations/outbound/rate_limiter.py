"""The module's declared rate limits, enforced across every worker.

Fixed windows of the limit's period: a call is allowed when the shared
counter of the current window, incremented atomically, stays within the
limit. The counter lives in Redis when the cache is Redis (``INCR`` is
atomic) and in the database otherwise (the file cache cannot increment
atomically across processes); either way every worker sees the same count.

A single fixed window would let up to twice the limit through across a
window boundary (``bench/backlog.py`` saw 69 calls/s against a 50/s limit),
so ``acquire`` spreads each limit over sub-windows: k calls per sub-window,
with (n + 1) · k ≤ calls, so any span of the limit's period, which touches at
most n + 1 sub-windows, holds at most ``calls`` calls. The sustained rate is
n · k per period (45/s for 50/s; 108/min for 120/min), and a burst of a
tenth of the limit still goes at once.

A refused call is told when to come back (``Verdict.wait``) by its place in
the queue: the Redis counter keeps counting refused calls, so the k-th call
over the limit comes back k / limit windows later, at a random moment of that
window. After an outage a backlog of thousands of jobs thus drains at the
limit in arrival order, instead of every refused job retrying at the start of
the next window only to be refused again (``bench/backlog.py``).
"""

from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass
from datetime import timedelta

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db.models import F
from django.utils import timezone

from integrations.channels.limits import LimitScope, RateLimit
from integrations.models import RateLimitWindow, SyncJob


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_in: float = 0.0
    """Seconds until the window that refused the call ends."""
    wait: float = 0.0
    """Seconds until the caller should try again: a moment in the first window likely to have room for it."""


def limit_key(limit: RateLimit, job: SyncJob, channel_id: int) -> str:
    scope = {
        LimitScope.CHANNEL: f"channel:{channel_id}",
        LimitScope.CONNECTION: f"connection:{job.connection_id}",
        LimitScope.ORDER: f"order:{job.order_id}",
    }[limit.scope]
    return f"ratelimit:{scope}:{limit.operation}:{limit.calls}/{limit.per_seconds:g}"


def applies(limit: RateLimit, operation: str, job: SyncJob) -> bool:
    if limit.scope == LimitScope.ORDER and job.order_id is None:
        return False
    return limit.operation in ("*", operation)


def acquire(limits: tuple[RateLimit, ...], operation: str, job: SyncJob, channel_id: int) -> Verdict:
    """Take one call from every limit that applies; refuse (and say how long to wait) if one is spent.

    A refused call may already have counted against an earlier limit in the
    list: it errs on the side of calling less.
    """
    for limit in limits:
        if not applies(limit, operation, job):
            continue
        verdict = take_spread(limit_key(limit, job, channel_id), limit.calls, limit.per_seconds)
        if not verdict.allowed:
            return verdict
    return Verdict(True)


def spread(calls: int, per_seconds: float) -> tuple[int, float]:
    """Calls per sub-window and the sub-window's length, so no span of ``per_seconds`` exceeds ``calls``.

    Ten sub-windows' worth of calls per period, so a small burst (a tenth of
    the limit) still goes at once. One call a period (``calls == 1``) cannot be
    spread: any span then holds at most two.
    """
    per_window = max(1, calls // 10)
    windows = max(1, calls // per_window - 1)
    return per_window, per_seconds / windows


def take_spread(key: str, calls: int, per_seconds: float, now: float | None = None) -> Verdict:
    """``take`` on the sub-windows of ``spread``: the limit holds over any span, not only aligned windows."""
    per_window, window_seconds = spread(calls, per_seconds)
    return take(f"{key}:spread", per_window, window_seconds, now)


def take(key: str, calls: int, per_seconds: float, now: float | None = None) -> Verdict:
    """Count one call in the current window of ``key``; allowed while the count is within ``calls``."""
    now = time.time() if now is None else now
    window = math.floor(now / per_seconds)
    retry_in = (window + 1) * per_seconds - now
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        count = _take_in_cache(backend, f"{key}:{window}", per_seconds)
    else:
        count = _take_in_database(key, window, calls, per_seconds)
    if count <= calls:
        return Verdict(True)
    windows_ahead = (count - calls - 1) // calls  # refused calls before this one, in windows' worth
    return Verdict(False, retry_in, retry_in + (windows_ahead + random.random()) * per_seconds)


def _take_in_cache(cache: RedisCache, key: str, per_seconds: float) -> int:
    """The call's place in the window (1 = first); refused calls count too, so later ones queue behind them."""
    timeout = max(1, math.ceil(per_seconds * 2))
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr: start the window again
        cache.add(key, 1, timeout=timeout)
        return 1


def _take_in_database(key: str, window: int, calls: int, per_seconds: float) -> int:
    """1..calls when taken, calls + 1 when refused (the database does not count refused calls)."""
    expires_at = timezone.now() + timedelta(seconds=per_seconds * 2)
    RateLimitWindow.objects.bulk_create(
        [RateLimitWindow(key=key, window=window, count=0, expires_at=expires_at)], ignore_conflicts=True
    )
    # Conditional increment: atomic on every backend, so two workers cannot both take the last call.
    taken = RateLimitWindow.objects.filter(key=key, window=window, count__lt=calls).update(count=F("count") + 1)
    return 1 if taken == 1 else calls + 1


def purge_expired_windows() -> int:
    """Drop database windows that can no longer count (the sweeper calls it)."""
    deleted, _ = RateLimitWindow.objects.filter(expires_at__lt=timezone.now()).delete()
    return deleted
