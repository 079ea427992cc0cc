"""Opening hours and days off as the Site API takes them.

``POST …/sites/{site}/opening_hours`` overwrites every weekday: ``{"opening_hours": {"monday": [{"local_start_time":
"12:00", "local_end_time": "14:00"}, …], …}}`` (periods may not overlap). A shift past midnight is split at
midnight (the rest opens the next day at 00:00). Days off are separate records, ``POST …/days_off`` with
``local_start_time`` / ``local_end_time`` ("YYYY-MM-DD HH:MM", the site's local time) and a ``reason``.
Special opening hours (an exception that opens rather than closes) have no Site API form: they are not sent.

Days off are reconciled, not added again on every publish: the site's upcoming days off are listed (``GET
…/days_off?upcoming=true``, pages of 50), those the restaurant's calendar no longer has are cancelled (``DELETE
…/days_off/{days_off_id}``), and only the missing ones are added. A day off Deliveroo set itself
(``FORCED_CLOSURE``) may not be cancelled by the API and is left alone; so is a cancelled one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import time
from typing import Any
from zoneinfo import ZoneInfo

from canonical import Availability, CalendarException

from .vocabulary import FORCED_CLOSURE, WEEKDAYS

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


@dataclass(frozen=True)
class DaysOffChanges:
    """What to send so the site's upcoming days off are the calendar's closed exceptions, each once."""

    cancel: tuple[str, ...]
    """``days_off_id`` of the records the calendar no longer has."""
    add: tuple[dict[str, str], ...]


def _same(record: Mapping[str, Any], wanted: Mapping[str, str]) -> bool:
    # The listing's field names are the add request's (3P: the single-record page says start_at / end_at: both read).
    start = record.get("local_start_time") or record.get("start_at")
    end = record.get("local_end_time") or record.get("end_at")
    return (start, end, record.get("reason")) == (wanted["local_start_time"], wanted["local_end_time"],
                                                  wanted["reason"])


def days_off_changes(wanted: Iterable[dict[str, str]], listed: Iterable[Mapping[str, Any]]) -> DaysOffChanges:
    """Keep a listed day off the calendar still has (once), cancel the others, add what is missing.

    A changed reason is a new day off (the API's update changes only the times)."""
    missing = list(wanted)
    cancel: list[str] = []
    for record in listed:
        if record.get("cancelled_at") or record.get("reason") == FORCED_CLOSURE:
            continue
        match = next((day for day in missing if _same(record, day)), None)
        if match is not None:
            missing.remove(match)
        elif record.get("days_off_id"):
            cancel.append(str(record["days_off_id"]))
    return DaysOffChanges(tuple(cancel), tuple(missing))
