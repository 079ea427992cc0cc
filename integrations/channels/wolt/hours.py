"""The restaurant's availability as Wolt's opening times and special times (Venue API).

docs/venueguide: ``PATCH /venues/{venueId}/opening-times`` with ``{"availability": [{opening_day, opening_time,
closing_day, closing_time}]}``, days ``MONDAY``…``SUNDAY``, times ``HH:MM`` in the venue's local time, ``24:00``
for the end of a day (the example: ``WEDNESDAY 00:00`` to ``WEDNESDAY 24:00``). Special times have the shape the
venue status shows (``special_times: [{opening_date, opening_time, closing_date, closing_time}]``); the guide's
section on updating them is cut off in the stored copy, so the endpoint (``PUT /venues/{venueId}/special-opening-
times``) is third-party (docs/channels/wolt.md §4). A day closed all day is sent as an opening that starts and ends
at midnight (the docs show no other way; a refusal fails the update loudly, nothing is dropped silently).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from canonical import Availability, CalendarException, WeeklyRange

from .vocabulary import WEEKDAYS


def _hhmm(value: time) -> str:
    return value.strftime("%H:%M")


def _weekly(weekly: WeeklyRange) -> list[dict[str, str]]:
    periods = []
    for day in weekly.days():
        start, end = weekly.start_time, weekly.end_time
        if end == time(0):  # until midnight: the end of this day
            periods.append({"opening_day": WEEKDAYS[day], "opening_time": _hhmm(start),
                            "closing_day": WEEKDAYS[day], "closing_time": "24:00"})
        else:
            closing = WEEKDAYS[(day + 1) % 7] if weekly.crosses_midnight else WEEKDAYS[day]
            periods.append({"opening_day": WEEKDAYS[day], "opening_time": _hhmm(start),
                            "closing_day": closing, "closing_time": _hhmm(end)})
    return periods


def opening_times(availability: Availability) -> dict[str, Any]:
    return {"availability": [period for weekly in availability.weekly for period in _weekly(weekly)]}


def _days(start: datetime, end: datetime) -> list[date]:
    last = (end - timedelta(microseconds=1)).date()
    return [start.date() + timedelta(days=n) for n in range((last - start.date()).days + 1)]


def _special(exception: CalendarException, zone: ZoneInfo) -> list[dict[str, str]]:
    start, end = exception.starts_at.astimezone(zone), exception.expires_at.astimezone(zone)
    periods = []
    for day in _days(start, end):
        midnight = datetime.combine(day, time(0), zone)
        if exception.closed:
            opening = closing = "00:00"
        else:
            opening = _hhmm(max(start, midnight).timetz())
            closing = "24:00" if end >= midnight + timedelta(days=1) else _hhmm(end.timetz())
        periods.append({"opening_date": day.isoformat(), "opening_time": opening,
                        "closing_date": day.isoformat(), "closing_time": closing})
    return periods


def special_times(availability: Availability) -> dict[str, Any]:
    zone = ZoneInfo(availability.timezone)
    return {"special_times": [period for exception in availability.exceptions
                              for period in _special(exception, zone)]}
