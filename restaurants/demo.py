"""Demo opening hours, for seeds and first runs: a typical Spanish restaurant week."""

from __future__ import annotations

from datetime import time

from django.db import transaction

from restaurants.models import Restaurant, ScheduleRange, ServiceAvailability, ServiceType, Weekday

# (start day, end day, start time, end time); end <= start runs past midnight.
DEMO_RANGES: tuple[tuple[int, int, time, time], ...] = (
    (Weekday.MONDAY, Weekday.SUNDAY, time(12, 30), time(16, 0)),  # lunch, every day
    (Weekday.MONDAY, Weekday.THURSDAY, time(20, 0), time(23, 30)),  # dinner
    (Weekday.FRIDAY, Weekday.SATURDAY, time(20, 0), time(1, 30)),  # weekend dinner, past midnight
    (Weekday.SUNDAY, Weekday.SUNDAY, time(20, 0), time(23, 0)),  # Sunday dinner
)


@transaction.atomic
def add_demo_opening_hours(restaurant: Restaurant) -> None:
    """Give ``restaurant`` all four services switched on and the demo week for all services.

    Idempotent so a seed command can run again: availabilities are switched on in place and
    each demo range is created only if an identical one is missing. Ranges staff added
    by hand are left alone.
    """
    for service_type in ServiceType.values:
        ServiceAvailability.objects.update_or_create(
            restaurant=restaurant, service_type=service_type, defaults={"active": True}
        )
    for start_day, end_day, start_time, end_time in DEMO_RANGES:
        ScheduleRange.objects.get_or_create(
            restaurant=restaurant,
            service_type=None,
            start_day=start_day,
            end_day=end_day,
            start_time=start_time,
            end_time=end_time,
        )
