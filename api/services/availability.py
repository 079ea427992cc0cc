"""Weekly hours and calendar exceptions from the POS: change the rows, then send the document to every channel."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from integrations.models import SyncJob
from integrations.outbound.services import set_opening_hours
from restaurants.models import CalendarException, Restaurant, ScheduleRange


@transaction.atomic
def replace_weekly_hours(restaurant: Restaurant, ranges: Iterable[dict[str, Any]]) -> list[SyncJob]:
    """The weekly schedule becomes exactly ``ranges`` (channels overwrite hours as one document too)."""
    restaurant.schedule_ranges.all().delete()
    ScheduleRange.objects.bulk_create(ScheduleRange(restaurant=restaurant, **fields) for fields in ranges)
    return set_opening_hours(restaurant)


@transaction.atomic
def add_exception(restaurant: Restaurant, fields: dict[str, Any]) -> CalendarException:
    exception = CalendarException.objects.create(restaurant=restaurant, **fields)
    set_opening_hours(restaurant)
    return exception


@transaction.atomic
def remove_exception(exception: CalendarException) -> None:
    restaurant = exception.restaurant
    exception.delete()
    set_opening_hours(restaurant)
