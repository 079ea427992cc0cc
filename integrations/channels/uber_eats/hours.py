"""Calendar exceptions as Uber Eats holiday hours (``POST /v1/eats/stores/{store_id}/holiday-hours``).

Each call overwrites every holiday hour the store had, so the whole list of exceptions is sent every time. A
date maps to the periods the store is OPEN that date, in the store's local time; they replace the day's regular
hours. As the reference page says: "If a restaurant is closed for the whole day, set the start_time and end_time
to 00:00" (never an empty list). A day partly closed keeps the restaurant's regular hours of that day outside the
closure (the whole day when no weekly hours are known, as Uber then holds them); the day special opening hours
begin is open in those only, and their part after midnight is added to the next day's regular hours.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from canonical import Availability, CalendarException

DAY = 24 * 60
CLOSED_ALL_DAY = [{"start_time": "00:00", "end_time": "00:00"}]

Periods = list[tuple[int, int]]
"""Minutes from local midnight, [start, end), sorted and disjoint."""


def _minutes(value: time) -> int:
    return value.hour * 60 + value.minute


def _hhmm(minutes: int) -> str:
    return "23:59" if minutes >= DAY else f"{minutes // 60:02d}:{minutes % 60:02d}"


def _days(start: datetime, end: datetime) -> list[date]:
    last = (end - timedelta(microseconds=1)).date()
    return [start.date() + timedelta(days=n) for n in range((last - start.date()).days + 1)]


def _merge(periods: Periods) -> Periods:
    merged: Periods = []
    for start, end in sorted(p for p in periods if p[1] > p[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _minus(periods: Periods, cut: tuple[int, int]) -> Periods:
    left: Periods = []
    for start, end in periods:
        left += [(start, min(end, cut[0])), (max(start, cut[1]), end)]
    return _merge(left)


def _regular_hours(availability: Availability, day: date) -> Periods:
    """The restaurant's weekly hours on ``day`` (a shift past midnight ends on the next day); all day if none."""
    if not availability.weekly:
        return [(0, DAY)]
    weekday, periods = day.weekday(), []
    for weekly in availability.weekly:
        for start_day in weekly.days():
            start, end = _minutes(weekly.start_time), _minutes(weekly.end_time)
            if start_day == weekday:
                periods.append((start, DAY if weekly.crosses_midnight else end))
            if weekly.crosses_midnight and (start_day + 1) % 7 == weekday:
                periods.append((0, end))
    return _merge(periods)


def _windows(exception: CalendarException, zone: ZoneInfo) -> dict[date, tuple[int, int]]:
    """The exception's part of each local date it touches, in minutes from that date's midnight."""
    start, end = exception.starts_at.astimezone(zone), exception.expires_at.astimezone(zone)
    windows = {}
    for day in _days(start, end):
        midnight = datetime.combine(day, time(0), zone)
        next_midnight = datetime.combine(day + timedelta(days=1), time(0), zone)
        begins = _minutes(start.timetz()) if start > midnight else 0
        ends = _minutes(end.timetz()) if end < next_midnight else DAY
        windows[day] = (begins, ends)
    return windows


def availability_to_holiday_hours(availability: Availability) -> dict[str, Any]:
    zone = ZoneInfo(availability.timezone)
    special: dict[date, Periods] = {}  # special hours that replace the day's regular hours
    extended: dict[date, Periods] = {}  # the part after midnight of special hours begun the day before
    closures: dict[date, Periods] = {}
    for exception in availability.exceptions:
        for index, (day, window) in enumerate(_windows(exception, zone).items()):
            found = closures if exception.closed else special if index == 0 else extended
            found.setdefault(day, []).append(window)
    holiday_hours: dict[str, Any] = {}
    for day in sorted(special.keys() | extended.keys() | closures.keys()):
        open_ = _merge(special[day]) if day in special else _regular_hours(availability, day)
        open_ = _merge(open_ + extended.get(day, []))
        for cut in closures.get(day, ()):
            open_ = _minus(open_, cut)
        periods = [{"start_time": _hhmm(start), "end_time": _hhmm(end)} for start, end in open_]
        holiday_hours[day.isoformat()] = {"open_time_periods": periods or CLOSED_ALL_DAY}
    return {"holiday_hours": holiday_hours}
