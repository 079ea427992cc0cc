"""Opening hours and days off as the Site API takes them.

``POST …/sites/{site}/opening_hours`` overwrites every weekday: ``{"opening_hours": {"monday": [{"local_start_time":
"12:00", "local_end_time": "14:00"}, …], …}}`` (periods may not overlap). A shift past midnight is split at
midnight (the rest opens the next day at 00:00). Days off are separate records, ``POST …/days_off`` with
``local_start_time`` / ``local_end_time`` ("YYYY-MM-DD HH:MM", the site's local time) and a ``reason``.
Special opening hours (an exception that opens rather than closes) have no Site API form: they are not sent.
"""

from __future__ import annotations

from datetime import time
from typing import Any
from zoneinfo import ZoneInfo

from canonical import Availability, CalendarException

from .vocabulary import WEEKDAYS

MIDNIGHT = time(0)


def _hhmm(value: time) -> str:
    return value.strftime("%H:%M")


def weekly_hours(availability: Availability) -> dict[str, Any]:
    days: dict[str, list[dict[str, str]]] = {day: [] for day in WEEKDAYS}
    for shift in availability.weekly:
        for day in shift.days():
            if shift.crosses_midnight:
                days[WEEKDAYS[day]].append({"local_start_time": _hhmm(shift.start_time), "local_end_time": "23:59"})
                if shift.end_time != MIDNIGHT:
                    days[WEEKDAYS[(day + 1) % 7]].append({"local_start_time": "00:00",
                                                         "local_end_time": _hhmm(shift.end_time)})
            else:
                days[WEEKDAYS[day]].append({"local_start_time": _hhmm(shift.start_time),
                                            "local_end_time": _hhmm(shift.end_time)})
    for periods in days.values():
        periods.sort(key=lambda period: period["local_start_time"])
    return {"opening_hours": days}


def day_off(exception: CalendarException, timezone: str) -> dict[str, str]:
    zone = ZoneInfo(timezone)
    return {
        "local_start_time": exception.starts_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
        "local_end_time": exception.expires_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
        "reason": exception.reason or "Closed",
    }


def days_off(availability: Availability) -> list[dict[str, str]]:
    return [day_off(exception, availability.timezone) for exception in availability.exceptions if exception.closed]
