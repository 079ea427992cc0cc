"""Canonical availability: weekly hours, calendar exceptions, pauses."""

from __future__ import annotations

from datetime import time

from pydantic import Field, model_validator

from ._base import Canonical, UtcDatetime
from .enums import ServiceType


class WeeklyRange(Canonical):
    """On each day from start_day to end_day (0=Monday, may wrap), open start_time–end_time.

    ``end_time <= start_time`` means the shift runs past midnight.
    """

    start_day: int = Field(ge=0, le=6)
    end_day: int = Field(ge=0, le=6)
    start_time: time
    end_time: time
    service_type: ServiceType | None = None

    @property
    def crosses_midnight(self) -> bool:
        return self.end_time <= self.start_time

    def days(self) -> list[int]:
        """The days this range starts on, in order (wrapping Fri→Mon gives 4,5,6,0)."""
        span = (self.end_day - self.start_day) % 7
        return [(self.start_day + offset) % 7 for offset in range(span + 1)]


class CalendarException(Canonical):
    starts_at: UtcDatetime
    expires_at: UtcDatetime
    closed: bool = Field(True, description="False: special opening hours in this window")
    reason: str = ""
    service_type: ServiceType | None = None

    @model_validator(mode="after")
    def _ordered(self) -> CalendarException:
        if self.expires_at <= self.starts_at:
            raise ValueError("expires_at must be after starts_at")
        return self


class PauseRequest(Canonical):
    """Stop taking orders until a time (None: until resumed)."""

    until: UtcDatetime | None = None
    reason: str = ""
    service_type: ServiceType | None = None


class Availability(Canonical):
    """The restaurant's regular hours and exceptions, as one document (channels usually overwrite all)."""

    timezone: str
    weekly: tuple[WeeklyRange, ...] = ()
    exceptions: tuple[CalendarException, ...] = ()
