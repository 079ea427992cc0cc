"""Opening hours and pauses: validation and the store's current open/paused status."""

from __future__ import annotations

import re
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .clock import iso, parse_iso, utcnow
from .errors import unprocessable
from .fields import Reader, lst

DAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
CODE = "invalid_opening_hours"


def validate_hours(body: Any) -> dict[str, Any]:
    """Normalized opening hours. ``closes <= opens`` means the range runs past midnight."""
    r = Reader(body, "body", CODE)
    tz = r.string("timezone", max_len=64)
    assert tz is not None
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise unprocessable(CODE, f"timezone {tz!r} is not a known IANA time zone") from exc
    weekly = []
    for i, raw in enumerate(lst(r.data.get("weekly"), "weekly", CODE)):
        wr = Reader(raw, f"weekly[{i}]", CODE)
        day = wr.choice("day", DAYS)
        times = {}
        for key in ("opens", "closes"):
            value = wr.string(key, max_len=5)
            if not HHMM.match(value or ""):
                raise unprocessable(CODE, f"weekly[{i}].{key} must be HH:MM (00:00-23:59)")
            times[key] = value
        weekly.append({"day": day, **times})
    exceptions = []
    for i, raw in enumerate(lst(r.data.get("exceptions", []), "exceptions", CODE)):
        er = Reader(raw, f"exceptions[{i}]", CODE)
        start, end = er.moment("from"), er.moment("to")
        assert start is not None and end is not None
        if end <= start:
            raise unprocessable(CODE, f"exceptions[{i}].to must be after exceptions[{i}].from")
        exceptions.append({"from": iso(start), "to": iso(end),
                           "closed": er.boolean("closed", required=False, default=True)})
    weekly.sort(key=lambda w: (DAYS.index(w["day"]), w["opens"]))
    return {"timezone": tz, "weekly": weekly, "exceptions": exceptions}


def validate_pause(body: Any) -> tuple[str | None, str | None]:
    r = Reader(body if body is not None else {}, "body", "invalid_pause")
    until = r.moment("until", required=False)
    reason = r.string("reason", required=False, default=None, nonempty=False, max_len=500)
    return (iso(until) if until else None), reason


def status(row: Any) -> dict[str, Any]:
    """Paused until ``until`` passes (or forever when ``until`` is null)."""
    if row is None or not row["paused"]:
        return {"paused": False, "until": None, "reason": None}
    until = parse_iso(row["until"]) if row["until"] else None
    if until is not None and until <= utcnow():
        return {"paused": False, "until": None, "reason": None}
    return {"paused": True, "until": row["until"], "reason": row["reason"]}
