"""Time helpers: every timestamp the market emits is ISO-8601 UTC with a ``Z``."""

from __future__ import annotations

import time
from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)


def iso(dt: datetime) -> str:
    """Format as ``2026-11-27T10:00:00Z``, keeping milliseconds only when there are any.

    Milliseconds matter for event ordering (two changes in the same second),
    whole-minute values such as booking times stay short and readable.
    """
    dt = dt.astimezone(UTC)
    if dt.microsecond:
        return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def now_iso() -> str:
    return iso(utcnow())


def parse_iso(value: object) -> datetime | None:
    """Parse an ISO-8601 string; naive values are taken as UTC. ``None`` when unparseable."""
    if not isinstance(value, str) or not value:
        return None
    try:
        dt = datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


def monotonic() -> float:
    return time.monotonic()


def epoch() -> float:
    return time.time()
