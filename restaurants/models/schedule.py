"""When a restaurant sells: weekly schedule ranges and calendar exceptions.

Mirrors Sinqro's market vocabulary: schedule ranges (start day, end day, start time,
end time) and exceptions (starts at, expires at). How they combine is ``restaurants.opening``.
"""

from __future__ import annotations

from datetime import time

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from restaurants.models.restaurant import Restaurant, ServiceType

ALL_SERVICES_HELP = "Empty means every service type the restaurant offers."


class Weekday(models.IntegerChoices):
    """ISO-like weekday numbering as Python's ``date.weekday()`` gives it: 0 is Monday."""

    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class ScheduleRange(models.Model):
    """Regular opening: on each day from ``start_day`` to ``end_day``, open from ``start_time`` to ``end_time``.

    - Days may wrap around the week: Fri→Mon means Fri, Sat, Sun, Mon.
    - ``end_time <= start_time`` means the shift runs past midnight into the next day
      (Fri 20:00–02:00 is open on Saturday at 01:00); equal times mean a 24-hour shift.
    - Several ranges on the same day are several shifts (lunch and dinner).
    - Times are wall-clock times in the restaurant's timezone, so a shift keeps its
      local hours across daylight-saving changes.
    """

    restaurant = models.ForeignKey(Restaurant, on_delete=models.CASCADE, related_name="schedule_ranges")
    # NULL (not "") means "all services": it reads as "no restriction", and forms store None for it.
    service_type = models.CharField(  # noqa: DJ001
        max_length=20, choices=ServiceType.choices, null=True, blank=True, help_text=ALL_SERVICES_HELP
    )
    start_day = models.PositiveSmallIntegerField(choices=Weekday.choices)
    end_day = models.PositiveSmallIntegerField(choices=Weekday.choices)
    start_time = models.TimeField()
    end_time = models.TimeField(help_text=_("At or before the start time means the shift ends the next day."))

    class Meta:
        ordering = ["restaurant", "start_day", "start_time"]
        constraints = [
            models.CheckConstraint(condition=models.Q(start_day__lte=6), name="schedule_range_start_day_0_6"),
            models.CheckConstraint(condition=models.Q(end_day__lte=6), name="schedule_range_end_day_0_6"),
        ]

    def __str__(self) -> str:
        days = Weekday(self.start_day).label[:3]
        if self.end_day != self.start_day:
            days += f"–{Weekday(self.end_day).label[:3]}"
        scope = self.get_service_type_display() if self.service_type else "all services"
        return f"{days} {self.start_time:%H:%M}–{self.end_time:%H:%M} ({scope})"

    def clean(self) -> None:
        """Catch what the form widgets cannot: out-of-range days and an unknown service type."""
        errors: dict[str, str] = {}
        for field in ("start_day", "end_day"):
            value = getattr(self, field)
            if value is not None and value not in Weekday.values:
                errors[field] = "Use 0 (Monday) to 6 (Sunday)."
        if self.service_type is not None and self.service_type not in ServiceType.values:
            errors["service_type"] = f"Unknown service type {self.service_type!r}."
        if errors:
            raise ValidationError(errors)

    @property
    def runs_past_midnight(self) -> bool:
        """True when the shift ends on the day after it starts."""
        return self.end_time <= self.start_time

    def days(self) -> list[int]:
        """Weekdays on which a shift of this range starts, following the wrap (Fri→Mon)."""
        length = (self.end_day - self.start_day) % 7 + 1
        return [(self.start_day + offset) % 7 for offset in range(length)]

    def starts_on(self, weekday: int) -> bool:
        """True when a shift of this range starts on ``weekday``."""
        return (weekday - self.start_day) % 7 <= (self.end_day - self.start_day) % 7

    def contains(self, weekday: int, moment: time) -> bool:
        """True when a local wall-clock ``moment`` on ``weekday`` falls inside a shift of this range.

        Checks both the shift starting that day and the tail of the one that started the day before.
        """
        if self.starts_on(weekday) and self.covers_from_start(moment):
            return True
        return self.starts_on((weekday - 1) % 7) and self.covers_tail(moment)

    def covers_from_start(self, moment: time) -> bool:
        """True when ``moment`` is inside a shift, counted on the day the shift starts."""
        if self.runs_past_midnight:
            return moment >= self.start_time
        return self.start_time <= moment < self.end_time

    def covers_tail(self, moment: time) -> bool:
        """True when ``moment`` is inside the after-midnight part of a shift that started the day before."""
        return self.runs_past_midnight and moment < self.end_time

    def applies_to(self, service_type: str) -> bool:
        """True when this range governs ``service_type`` (its own or all services)."""
        return self.service_type is None or self.service_type == service_type


class CalendarException(models.Model):
    """A dated exception to the weekly schedule.

    - ``CLOSED``: closed for the whole window, even during regular hours (holiday, works).
    - ``SPECIAL_HOURS``: open for exactly the window, even if the weekly schedule says closed.
      A local day on which a special window *starts* takes its hours only from special
      windows: the regular shifts starting that day are dropped (see ``restaurants.opening``).
    """

    class Kind(models.TextChoices):
        CLOSED = "closed", _("Closed")
        SPECIAL_HOURS = "special_hours", _("Special hours")

    restaurant = models.ForeignKey(Restaurant, on_delete=models.CASCADE, related_name="calendar_exceptions")
    service_type = models.CharField(  # noqa: DJ001 — NULL means all services, as on ScheduleRange
        max_length=20, choices=ServiceType.choices, null=True, blank=True, help_text=ALL_SERVICES_HELP
    )
    starts_at = models.DateTimeField()
    expires_at = models.DateTimeField(help_text=_("First moment the exception no longer applies."))
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CLOSED)
    reason = models.CharField(max_length=200, blank=True, help_text=_("Shown to staff, e.g. 'Christmas'."))

    class Meta:
        ordering = ["restaurant", "starts_at"]
        indexes = [models.Index(fields=["restaurant", "expires_at"], name="calendar_exc_restaurant_expiry")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("starts_at")), name="calendar_exception_expires_after_start"
            ),
        ]

    def __str__(self) -> str:
        label = self.reason or self.get_kind_display()
        return f"{label}: {self.starts_at:%Y-%m-%d %H:%M} → {self.expires_at:%Y-%m-%d %H:%M}"

    def clean(self) -> None:
        """An exception must last: an empty or inverted window would silently do nothing."""
        if self.starts_at and self.expires_at and self.expires_at <= self.starts_at:
            raise ValidationError({"expires_at": "Must be after the start."})

    def applies_to(self, service_type: str) -> bool:
        """True when this exception governs ``service_type`` (its own or all services)."""
        return self.service_type is None or self.service_type == service_type
