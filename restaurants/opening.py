"""Is a restaurant selling at a given moment, and why (not)?

One rule, one place, so the admin, the status page and every channel module agree.
Precedence, first match wins:

1. the service is not offered or is switched off → closed, "service not offered";
2. an active pause → paused;
3. a CLOSED calendar exception covering the moment → closed;
4. SPECIAL_HOURS: if a special window covers the moment → open; a local day on which a
   special window starts is governed by special windows only (see below);
5. the weekly schedule ranges.

Special hours replace the regular hours *of the day they start on*. Every shift,
regular or special, belongs to the local day it starts on: if Saturday has special
hours, Saturday's own regular shifts are dropped, but the after-midnight tail of
Friday's regular shift still opens Saturday 01:00 (it is Friday's shift), and a New
Year's Eve window running to 03:00 does not cancel New Year's Day lunch. This keeps a
single "special day" from silently swallowing its neighbours.

Weekly ranges are evaluated on the restaurant's local wall clock (zoneinfo), so
"12:30–16:00" means 12:30–16:00 local on both sides of a daylight-saving change.
Exceptions and pauses are absolute instants and compare as such.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Literal

from django.db.models import Prefetch, Q
from django.utils import timezone

from restaurants.models import CalendarException, Pause, Restaurant, ScheduleRange, ServiceAvailability, ServiceType

Status = Literal["open", "closed", "paused"]

# Related names opening_state reads; prefetch them to evaluate many restaurants with no N+1.
SERVICE_AVAILABILITIES = "service_availabilities"
SCHEDULE_RANGES = "schedule_ranges"
CALENDAR_EXCEPTIONS = "calendar_exceptions"
PAUSES = "pauses"

# A special window starting on the previous local day may still cover "at"; a day of slack
# also absorbs timezone offsets, so exceptions further away than this never matter.
EXCEPTION_LOOKAROUND = timedelta(days=2)


@dataclass(frozen=True)
class OpeningState:
    """The answer: a yes/no, a status a channel understands, and a reason a person understands."""

    is_open: bool
    status: Status
    reason: str


@dataclass(frozen=True)
class OpeningData:
    """Everything ``opening_state`` needs about one restaurant, loaded once.

    Build it with ``OpeningData.load`` (uses prefetched relations when present, else
    four queries) and reuse it to ask about several moments or service types.
    """

    availabilities: tuple[ServiceAvailability, ...]
    ranges: tuple[ScheduleRange, ...]
    exceptions: tuple[CalendarException, ...]
    pauses: tuple[Pause, ...]

    @classmethod
    def load(cls, restaurant: Restaurant, around: datetime | None = None) -> OpeningData:
        """Read the restaurant's opening data, from the prefetch cache or with four small queries.

        Without a prefetch, exceptions and pauses are narrowed to those that can matter
        ``around`` that moment, so a restaurant with years of history stays cheap.
        """
        around = around or timezone.now()
        cache = getattr(restaurant, "_prefetched_objects_cache", {})

        def rows(name: str, narrowed: Iterable) -> tuple:
            return tuple(getattr(restaurant, name).all()) if name in cache else tuple(narrowed)

        return cls(
            availabilities=rows(SERVICE_AVAILABILITIES, restaurant.service_availabilities.all()),
            ranges=rows(SCHEDULE_RANGES, restaurant.schedule_ranges.all()),
            exceptions=rows(
                CALENDAR_EXCEPTIONS,
                restaurant.calendar_exceptions.filter(
                    starts_at__lt=around + EXCEPTION_LOOKAROUND, expires_at__gt=around - EXCEPTION_LOOKAROUND
                ),
            ),
            pauses=rows(PAUSES, restaurant.pauses.filter(Q(resumed_at__isnull=True) | Q(resumed_at__gt=around))),
        )


def opening_prefetches(around: datetime | None = None) -> list[Prefetch]:
    """Prefetches for a restaurant queryset so ``opening_state`` costs no query per row.

    Usage: ``Restaurant.objects.prefetch_related(*opening_prefetches(now))``.
    History (resumed pauses, past exceptions) is left out, as ``OpeningData.load`` does.
    """
    around = around or timezone.now()
    return [
        Prefetch(SERVICE_AVAILABILITIES),
        Prefetch(SCHEDULE_RANGES),
        Prefetch(
            CALENDAR_EXCEPTIONS,
            queryset=CalendarException.objects.filter(
                starts_at__lt=around + EXCEPTION_LOOKAROUND, expires_at__gt=around - EXCEPTION_LOOKAROUND
            ),
        ),
        Prefetch(PAUSES, queryset=Pause.objects.filter(Q(resumed_at__isnull=True) | Q(resumed_at__gt=around))),
    ]


def opening_state(
    restaurant: Restaurant,
    at: datetime,
    service_type: str | None = None,
    *,
    data: OpeningData | None = None,
) -> OpeningState:
    """Is ``restaurant`` selling ``service_type`` at the aware instant ``at``?

    ``service_type=None`` asks "is it selling anything": open when at least one offered,
    switched-on service is open; otherwise the state of the first service in ServiceType
    order (so a restaurant-wide pause reads as paused).

    Pass ``data`` (or prefetch with ``opening_prefetches``) to avoid queries; without
    either it does four queries. Raises ValueError for a naive ``at``: a wall-clock time
    without a zone is ambiguous between the server's and the restaurant's.
    """
    if timezone.is_naive(at):
        raise ValueError("opening_state needs an aware datetime; got a naive one")
    # Compare instants in UTC: two datetimes sharing one ZoneInfo compare by wall clock, wrong at a DST fold.
    at = at.astimezone(UTC)
    data = data or OpeningData.load(restaurant, around=at)
    if service_type is not None:
        return _service_state(restaurant, at, service_type, data)

    offered = [a.service_type for a in data.availabilities if a.active]
    if not offered:
        return OpeningState(False, "closed", "no service offered")
    states = [_service_state(restaurant, at, value, data) for value in ServiceType.values if value in offered]
    return next((state for state in states if state.is_open), states[0])


def _service_state(restaurant: Restaurant, at: datetime, service_type: str, data: OpeningData) -> OpeningState:
    """Apply the precedence rules to one service type."""
    if service_type not in ServiceType.values:
        raise ValueError(f"unknown service type {service_type!r}")
    availability = next((a for a in data.availabilities if a.service_type == service_type), None)
    if availability is None:
        return OpeningState(False, "closed", "service not offered")
    if not availability.active:
        return OpeningState(False, "closed", "service not offered: switched off")

    local_tz = restaurant.tzinfo
    pause = _blocking_pause(at, service_type, data.pauses)
    if pause is not None:
        return OpeningState(False, "paused", _pause_reason(pause, at, local_tz))

    exceptions = [e for e in data.exceptions if e.applies_to(service_type)]
    closing = next(
        (e for e in exceptions if e.kind == CalendarException.Kind.CLOSED and e.starts_at <= at < e.expires_at),
        None,
    )
    if closing is not None:
        return OpeningState(False, "closed", _with_reason("closed", closing.reason))

    special = [e for e in exceptions if e.kind == CalendarException.Kind.SPECIAL_HOURS]
    window = next((e for e in special if e.starts_at <= at < e.expires_at), None)
    if window is not None:
        return OpeningState(True, "open", _with_reason("open: special hours", window.reason))

    local = at.astimezone(local_tz)
    today = local.date()
    special_days = {e.starts_at.astimezone(local_tz).date() for e in special}
    if _regular_shift_covers(local, data.ranges, service_type, special_days):
        return OpeningState(True, "open", "open")
    day_window = next((e for e in special if e.starts_at.astimezone(local_tz).date() == today), None)
    if day_window is not None:
        return OpeningState(False, "closed", _with_reason("outside special hours", day_window.reason))
    return OpeningState(False, "closed", "outside opening hours")


def _regular_shift_covers(
    local: datetime, ranges: Iterable[ScheduleRange], service_type: str, special_days: set[date]
) -> bool:
    """True when a weekly shift covers the local wall-clock moment, skipping days that have special hours."""
    today = local.date()
    yesterday = today - timedelta(days=1)
    moment = local.time()
    for schedule_range in ranges:
        if not schedule_range.applies_to(service_type):
            continue
        if (
            today not in special_days
            and schedule_range.starts_on(today.weekday())
            and schedule_range.covers_from_start(moment)
        ):
            return True
        if (
            yesterday not in special_days
            and schedule_range.starts_on(yesterday.weekday())
            and schedule_range.covers_tail(moment)
        ):
            return True
    return False


def _blocking_pause(at: datetime, service_type: str, pauses: Iterable[Pause]) -> Pause | None:
    """The active pause that lasts longest (an indefinite one wins): that is when selling resumes."""
    active = [p for p in pauses if p.applies_to(service_type) and p.is_active(at)]
    if not active:
        return None
    far_future = datetime.max.replace(tzinfo=UTC)
    return max(active, key=lambda p: p.until or far_future)


def _pause_reason(pause: Pause, at: datetime, local_tz: tzinfo) -> str:
    """'paused until 21:30: kitchen overloaded', with the date when it ends on another local day."""
    if pause.until is None:
        head = "paused until resumed"
    else:
        until = pause.until.astimezone(local_tz)
        same_day = until.date() == at.astimezone(local_tz).date()
        head = f"paused until {until:%H:%M}" if same_day else f"paused until {until:%Y-%m-%d %H:%M}"
    return _with_reason(head, pause.reason)


def _with_reason(head: str, reason: str) -> str:
    return f"{head}: {reason}" if reason else head
