"""clean() and database constraints keep impossible opening data out."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from restaurants.models import CalendarException, ScheduleRange
from tests.factories.restaurants import RestaurantFactory


@pytest.mark.django_db
def test_a_schedule_range_with_a_day_out_of_the_week_is_rejected():
    # Given a range starting on day 7
    schedule_range = ScheduleRange(
        restaurant=RestaurantFactory(), start_day=7, end_day=1, start_time=time(12), end_time=time(16)
    )

    # When validating it
    with pytest.raises(ValidationError) as error:
        schedule_range.full_clean()

    # Then the day is named as the problem
    assert "start_day" in error.value.message_dict


@pytest.mark.django_db
def test_a_schedule_range_for_an_unknown_service_is_rejected():
    # Given a range for a service Sinqro does not have
    schedule_range = ScheduleRange(
        restaurant=RestaurantFactory(),
        service_type="drone",
        start_day=0,
        end_day=6,
        start_time=time(12),
        end_time=time(16),
    )

    # When validating it
    # Then the service type is named as the problem
    with pytest.raises(ValidationError) as error:
        schedule_range.full_clean()
    assert "service_type" in error.value.message_dict


@pytest.mark.django_db
def test_a_schedule_range_past_midnight_and_for_all_services_is_valid():
    # Given Fri 20:00–02:00 for all services
    schedule_range = ScheduleRange(
        restaurant=RestaurantFactory(), service_type=None, start_day=4, end_day=4, start_time=time(20), end_time=time(2)
    )

    # When validating it
    schedule_range.full_clean()

    # Then it is accepted and knows it runs past midnight
    assert schedule_range.runs_past_midnight
    assert schedule_range.days() == [4]


def test_a_wrapping_range_lists_its_days_across_the_week_end():
    # Given a Fri→Mon range
    schedule_range = ScheduleRange(start_day=4, end_day=0, start_time=time(12), end_time=time(16))

    # When listing its days
    # Then it wraps over Sunday
    assert schedule_range.days() == [4, 5, 6, 0]


@pytest.mark.django_db
def test_a_calendar_exception_must_expire_after_it_starts():
    # Given an exception that expires when it starts
    now = timezone.now()
    exception = CalendarException(restaurant=RestaurantFactory(), starts_at=now, expires_at=now)

    # When validating it
    with pytest.raises(ValidationError) as error:
        exception.full_clean()

    # Then expires_at is named as the problem
    assert "expires_at" in error.value.message_dict


@pytest.mark.django_db
def test_the_database_also_refuses_an_inverted_calendar_exception():
    # Given an exception ending before it starts, saved without clean()
    now = timezone.now()
    exception = CalendarException(restaurant=RestaurantFactory(), starts_at=now, expires_at=now - timedelta(hours=1))

    # When saving it
    # Then the check constraint refuses it
    with pytest.raises(IntegrityError):
        exception.save()


@pytest.mark.django_db
def test_a_restaurant_needs_a_real_timezone_and_currency_code():
    # Given a restaurant with a made-up timezone and a lower-case currency
    restaurant = RestaurantFactory.build(timezone="Mars/Olympus", currency="eur")

    # When validating it
    with pytest.raises(ValidationError) as error:
        restaurant.full_clean()

    # Then both fields are named
    assert {"timezone", "currency"} <= set(error.value.message_dict)
