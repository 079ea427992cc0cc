"""How long a job waits before its next try after a retryable failure.

Exponential backoff with "equal jitter": the n-th retry waits between half and
all of ``base * 2**(n-1)`` (capped). The jitter spreads the retries of many
jobs that failed together (a channel outage) so they do not return as one
wave; the floor of half keeps a down channel from being retried at once.
A channel's ``Retry-After`` wins when it asks for longer.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from django.conf import settings


def backoff_seconds(
    attempt: int,
    retry_after: float | None = None,
    *,
    base: float | None = None,
    cap: float | None = None,
    rand: Callable[[], float] = random.random,
) -> float:
    """Seconds to wait after failed attempt number ``attempt`` (1-based)."""
    base = settings.OUTBOUND_BACKOFF_BASE_SECONDS if base is None else base
    cap = settings.OUTBOUND_BACKOFF_MAX_SECONDS if cap is None else cap
    ceiling = min(cap, base * 2 ** max(0, attempt - 1))
    delay = ceiling / 2 + rand() * ceiling / 2
    if retry_after is not None:
        delay = max(delay, min(retry_after, settings.OUTBOUND_RETRY_AFTER_MAX_SECONDS))
    return delay
