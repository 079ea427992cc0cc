"""Rate limits and deadlines a channel imposes, declared by its module."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from canonical import OrderStatus


class LimitScope(StrEnum):
    CHANNEL = "channel"
    """All calls to the channel from all our connections."""
    CONNECTION = "connection"
    """Calls for one store/venue."""
    ORDER = "order"
    """Calls about one order (e.g. Deliveroo: 5 status calls a minute per order)."""


@dataclass(frozen=True)
class RateLimit:
    """At most ``calls`` per ``per_seconds`` for ``operation`` ("*" = every call) within ``scope``.

    The platform enforces it across all workers.
    """

    calls: int
    per_seconds: float
    scope: LimitScope = LimitScope.CONNECTION
    operation: str = "*"

    def __post_init__(self) -> None:
        if self.calls < 1 or self.per_seconds <= 0:
            raise ValueError("a rate limit needs calls >= 1 and per_seconds > 0")

    def describe(self) -> str:
        what = "all calls" if self.operation == "*" else self.operation
        return f"{what}: at most {self.calls} per {self.per_seconds:g} s per {self.scope}"


@dataclass(frozen=True)
class Deadline:
    """The channel needs ``status`` posted within ``within`` of the order arriving, or ``consequence``.

    A status job that would land after the deadline is failed with this reason, not retried.
    """

    status: OrderStatus
    within: timedelta
    consequence: str

    def describe(self) -> str:
        minutes = self.within.total_seconds() / 60
        return f"{self.status} within {minutes:g} min, otherwise {self.consequence}"
