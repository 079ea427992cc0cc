"""Injected faults: armed for N calls, taken one per call, and what a taken one does to the answer.

A test arms a fault through a company's ``/_control/faults``; the next
matching calls fail for real over HTTP, so the platform's retry, back-off and
timeout handling is exercised end to end. The market keeps its faults in
sqlite (webhook faults are taken in the same transaction as the delivery
they change); a dialect whose state lives in memory uses :class:`FaultBook`.
Both answer through :func:`injected`.
"""

from __future__ import annotations

import math
import threading
import time
from typing import Any

from .http import ApiError

ANY = "*"


def injected(status: int, code: str, message: str, *, retry_after: float | None = None,
             delay: float | None = None) -> ApiError:
    """The refusal a taken fault causes; with ``delay`` the call first stalls (the caller sees a timeout).

    ``Retry-After`` is whole seconds, rounded up, as HTTP wants.
    """
    if delay:
        time.sleep(delay)
    headers = {} if retry_after is None else {"Retry-After": str(math.ceil(retry_after))}
    return ApiError(status, code, message, headers)


class FaultBook:
    """Armed faults, oldest first; each names a scope in ``scope_key`` (missing or ``*``: every scope)."""

    def __init__(self, scope_key: str) -> None:
        self.scope_key = scope_key
        self._faults: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    def arm(self, fault: dict[str, Any]) -> dict[str, Any]:
        """Keep ``fault`` (its ``count`` defaults to 1) and return it as stored."""
        fault.setdefault("count", 1)
        with self._lock:
            self._faults.append(fault)
        return fault

    def take(self, scope: str) -> dict[str, Any] | None:
        """Use up one call of the oldest fault for ``scope``; the fault, or None when none is armed."""
        with self._lock:
            for fault in self._faults:
                if fault.get(self.scope_key, ANY) in (ANY, scope):
                    fault["count"] -= 1
                    if fault["count"] <= 0:
                        self._faults.remove(fault)
                    return fault
        return None

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()
