"""Per-store request rate: a sliding one-second window for limiting, and the peak observed.

Kept in memory on purpose: rates are about the last second, nothing worth
persisting; only the peak is written to sqlite (through the stats table) so
``/_control/stats`` shows it even after a restart.
"""

from __future__ import annotations

import threading
from collections import deque

from .clock import monotonic

WINDOW = 1.0


class RateLimiter:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: dict[str, deque[float]] = {}
        self._accepted: dict[str, deque[float]] = {}

    @staticmethod
    def _trim(window: deque[float], now: float) -> None:
        while window and window[0] <= now - WINDOW:
            window.popleft()

    def observe(self, store_ref: str, limit: float | None) -> tuple[int, bool]:
        """Record one request; returns (requests seen in the last second, allowed by the limit)."""
        now = monotonic()
        with self._lock:
            seen = self._seen.setdefault(store_ref, deque())
            self._trim(seen, now)
            seen.append(now)
            accepted = self._accepted.setdefault(store_ref, deque())
            self._trim(accepted, now)
            allowed = limit is None or len(accepted) < limit
            if allowed:
                accepted.append(now)
            return len(seen), allowed

    def clear(self) -> None:
        with self._lock:
            self._seen.clear()
            self._accepted.clear()
