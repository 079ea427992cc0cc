"""Calendar exceptions as Uber Eats holiday hours (``POST /v1/eats/stores/{store_id}/holiday-hours``).

Each call overwrites every holiday hour the store had, so the whole list of
exceptions is sent every time. A date maps to the periods the store is
OPEN that day, in the store's local time: a day closed all day has none.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from canonical import Availability, CalendarException


def _hhmm(value: datetime) -> str:
    return value.strftime("%H:%M")


def _days(start: datetime, end: datetime) -> list[date]:
    last = (end - timedelta(microseconds=1)).date()
    return [start.date() + timedelta(days=n) for n in range((last - start.date()).days + 1)]


def _open_periods(exception: CalendarException, zone: ZoneInfo) -> dict[str, list[dict[str, str]]]:
    start, end = exception.starts_at.astimezone(zone), exception.expires_at.astimezone(zone)
    periods: dict[str, list[dict[str, str]]] = {}
    for day in _days(start, end):
        midnight = datetime.combine(day, time(0), zone)
        next_midnight = midnight + timedelta(days=1)
        window_from, window_to = max(start, midnight), min(end, next_midnight)
        if not exception.closed:
            to = "23:59" if window_to >= next_midnight else _hhmm(window_to)
            periods[day.isoformat()] = [{"start_time": _hhmm(window_from), "end_time": to}]
            continue
        open_ = []
        if window_from > midnight:
            open_.append({"start_time": "00:00", "end_time": _hhmm(window_from)})
        if window_to < next_midnight:
            open_.append({"start_time": _hhmm(window_to), "end_time": "23:59"})
        periods[day.isoformat()] = open_
    return periods


def availability_to_holiday_hours(availability: Availability) -> dict[str, Any]:
    zone = ZoneInfo(availability.timezone)
    holiday_hours: dict[str, Any] = {}
    for exception in availability.exceptions:
        for day, periods in _open_periods(exception, zone).items():
            holiday_hours[day] = {"open_time_periods": periods}
    return {"holiday_hours": holiday_hours}
