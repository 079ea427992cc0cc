"""Small helpers shared by the restaurants tests."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

MADRID = "Europe/Madrid"
NEW_YORK = "America/New_York"

# A known week: Friday 2025-06-06 to Thursday 2025-06-12 (summer time in Madrid, CEST = UTC+2).
FRIDAY = (2025, 6, 6)
SATURDAY = (2025, 6, 7)
SUNDAY = (2025, 6, 8)
MONDAY = (2025, 6, 9)
TUESDAY = (2025, 6, 10)
WEDNESDAY = (2025, 6, 11)


def local(day: tuple[int, int, int], hour: int, minute: int = 0, tz: str = MADRID, fold: int = 0) -> datetime:
    """An aware datetime at a local wall-clock time in ``tz``."""
    return datetime(*day, hour, minute, tzinfo=ZoneInfo(tz), fold=fold)
