"""Rate limits and deadlines a channel imposes, declared by its module."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
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


class CountsFrom(StrEnum):
    """The instant of an order a deadline counts from (a field of the canonical order)."""

    PLACED_AT = "placed_at"
    """The order was placed (the default)."""
    CONFIRM_BY = "confirm_by"
    """The channel's confirm-by time of a scheduled order."""
    SCHEDULED_FOR = "scheduled_for"
    """The target time of a scheduled order."""


@dataclass(frozen=True)
class Deadline:
    """The channel needs ``status`` posted within ``within`` of ``counts_from``, or ``consequence``.

    ``counts_from`` is an instant of the order (placed, confirm-by, scheduled
    time); an order without it (an ASAP order has no confirm-by) counts from
    ``placed_at``. ``within`` may be zero ("before confirm_by") or negative
    ("ready 10 min before the scheduled time"). A status job that would land
    after the deadline is failed with this reason, not retried.

    ``in_markets`` gives another window where the channel's market has its own
    (Deliveroo: 7 minutes in Kuwait and the UAE instead of 10), keyed by the
    currency the restaurant sells in (ISO 4217, ``ConnectionInfo.currency``):
    the one fact of the market every connection has. Use it only for a
    currency that names one market (KWD, AED), never for one shared by several.
    """

    status: OrderStatus
    within: timedelta
    consequence: str
    counts_from: CountsFrom = CountsFrom.PLACED_AT
    in_markets: tuple[tuple[str, timedelta], ...] = ()

    def within_for(self, currency: str) -> timedelta:
        """The window in the market that sells in ``currency`` (``within`` unless ``in_markets`` names it)."""
        return dict(self.in_markets).get(currency.upper(), self.within)

    def due_at(
        self,
        placed_at: datetime,
        *,
        confirm_by: datetime | None = None,
        scheduled_for: datetime | None = None,
        currency: str = "",
    ) -> datetime:
        """When the deadline falls for an order with these instants (in the market of ``currency``, when given)."""
        instants = {CountsFrom.CONFIRM_BY: confirm_by, CountsFrom.SCHEDULED_FOR: scheduled_for}
        return (instants.get(self.counts_from) or placed_at) + self.within_for(currency)

    def describe(self) -> str:
        minutes = self.within.total_seconds() / 60
        start = "" if self.counts_from == CountsFrom.PLACED_AT else f" of {self.counts_from}"
        markets = "".join(f" ({window.total_seconds() / 60:g} min in {code})" for code, window in self.in_markets)
        return f"{self.status} within {minutes:g} min{markets}{start}, otherwise {self.consequence}"
