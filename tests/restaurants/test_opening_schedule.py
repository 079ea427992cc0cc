"""Weekly schedule ranges: shifts, wraps, midnight and timezones."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from restaurants.models import Weekday
from restaurants.opening import OpeningState, opening_state
from tests.factories.restaurants import RestaurantFactory, ScheduleRangeFactory
from tests.restaurants.helpers import (
    FRIDAY,
    MONDAY,
    NEW_YORK,
    SATURDAY,
    SUNDAY,
    TUESDAY,
    WEDNESDAY,
    local,
)


@pytest.mark.django_db
def test_a_shift_past_midnight_keeps_the_restaurant_open_early_next_morning():
    # Given a Friday shift from 20:00 to 02:00
    restaurant = RestaurantFactory()
    ScheduleRangeFactory(
        restaurant=restaurant,
        start_day=Weekday.FRIDAY,
        end_day=Weekday.FRIDAY,
        start_time=time(20, 0),
        end_time=time(2, 0),
    )

    # When asking on Saturday at 01:00, at 02:30 and on Friday before the shift
    at_one = opening_state(restaurant, local(SATURDAY, 1, 0))
    at_half_past_two = opening_state(restaurant, local(SATURDAY, 2, 30))
    friday_afternoon = opening_state(restaurant, local(FRIDAY, 19, 59))
    friday_night = opening_state(restaurant, local(FRIDAY, 23, 0))

    # Then only the moments inside the shift are open
    assert at_one == OpeningState(True, "open", "open")
    assert at_half_past_two == OpeningState(False, "closed", "outside opening hours")
    assert not friday_afternoon.is_open
    assert friday_night.is_open


@pytest.mark.django_db
def test_a_shift_ending_exactly_at_its_end_time_is_closed_then():
    # Given a Friday 20:00–02:00 shift
    restaurant = RestaurantFactory()
    ScheduleRangeFactory(
        restaurant=restaurant, start_day=Weekday.FRIDAY, end_day=Weekday.FRIDAY, start_time=time(20), end_time=time(2)
    )

    # When asking at exactly 02:00 on Saturday and on Sunday at 01:00
    at_end = opening_state(restaurant, local(SATURDAY, 2, 0))
    sunday_night = opening_state(restaurant, local(SUNDAY, 1, 0))

    # Then the end is exclusive and Saturday's own night is not covered
    assert not at_end.is_open
    assert not sunday_night.is_open


@pytest.mark.django_db
def test_a_day_range_wraps_around_the_week_from_friday_to_monday():
    # Given a Fri→Mon lunch range
    restaurant = RestaurantFactory()
    ScheduleRangeFactory(
        restaurant=restaurant,
        start_day=Weekday.FRIDAY,
        end_day=Weekday.MONDAY,
        start_time=time(13, 0),
        end_time=time(16, 0),
    )

    # When asking at 14:00 on each day of the week
    open_days = {
        day: opening_state(restaurant, local(day, 14)).is_open
        for day in (FRIDAY, SATURDAY, SUNDAY, MONDAY, TUESDAY, WEDNESDAY)
    }

    # Then Friday to Monday are open and midweek is closed
    assert open_days == {FRIDAY: True, SATURDAY: True, SUNDAY: True, MONDAY: True, TUESDAY: False, WEDNESDAY: False}


@pytest.mark.django_db
def test_a_wrapping_range_past_midnight_opens_tuesday_early_morning_after_monday_night():
    # Given a Fri→Mon range from 22:00 to 03:00
    restaurant = RestaurantFactory()
    ScheduleRangeFactory(
        restaurant=restaurant, start_day=Weekday.FRIDAY, end_day=Weekday.MONDAY, start_time=time(22), end_time=time(3)
    )

    # When asking on Tuesday at 01:00 (Monday's shift) and on Wednesday at 01:00 (no Tuesday shift)
    # Then only Tuesday early morning is open
    assert opening_state(restaurant, local(TUESDAY, 1)).is_open
    assert not opening_state(restaurant, local(WEDNESDAY, 1)).is_open


@pytest.mark.django_db
def test_several_shifts_on_a_day_leave_the_gap_between_them_closed():
    # Given lunch 13:00–16:00 and dinner 20:00–23:30 every day
    restaurant = RestaurantFactory()
    ScheduleRangeFactory(restaurant=restaurant, start_time=time(13), end_time=time(16))
    ScheduleRangeFactory(restaurant=restaurant, start_time=time(20), end_time=time(23, 30))

    # When asking at lunch, in the afternoon gap and at dinner
    lunch = opening_state(restaurant, local(WEDNESDAY, 14))
    gap = opening_state(restaurant, local(WEDNESDAY, 18))
    dinner = opening_state(restaurant, local(WEDNESDAY, 21))

    # Then both shifts are open and the gap is closed
    assert lunch.is_open
    assert gap == OpeningState(False, "closed", "outside opening hours")
    assert dinner.is_open


@pytest.mark.django_db
def test_a_range_for_one_service_type_does_not_open_the_others():
    # Given a delivery-only evening range and an all-services lunch range
    restaurant = RestaurantFactory()
    ScheduleRangeFactory(restaurant=restaurant, service_type="delivery", start_time=time(20), end_time=time(23))
    ScheduleRangeFactory(restaurant=restaurant, service_type=None, start_time=time(13), end_time=time(16))

    # When asking in the evening and at lunch for delivery and dine-in
    # Then delivery is open both times and dine-in only at lunch
    assert opening_state(restaurant, local(WEDNESDAY, 21), "delivery").is_open
    assert not opening_state(restaurant, local(WEDNESDAY, 21), "insitu").is_open
    assert opening_state(restaurant, local(WEDNESDAY, 14), "insitu").is_open


@pytest.mark.django_db
def test_the_same_utc_instant_is_open_in_madrid_and_closed_in_new_york():
    # Given two restaurants with the same 12:00–16:00 hours in different timezones
    madrid = RestaurantFactory(timezone="Europe/Madrid")
    new_york = RestaurantFactory(timezone=NEW_YORK)
    for restaurant in (madrid, new_york):
        ScheduleRangeFactory(restaurant=restaurant, start_time=time(12), end_time=time(16))

    # When asking at 12:00 UTC (14:00 in Madrid, 08:00 in New York)
    instant = datetime(2025, 6, 11, 12, 0, tzinfo=UTC)

    # Then Madrid is open and New York is closed
    assert opening_state(madrid, instant).is_open
    assert not opening_state(new_york, instant).is_open


@pytest.mark.django_db
def test_local_hours_hold_on_both_sides_of_the_spring_daylight_saving_change():
    # Given Sunday lunch 12:30–16:00 in Madrid, which moves from UTC+1 to UTC+2 on 2025-03-30
    restaurant = RestaurantFactory()
    ScheduleRangeFactory(restaurant=restaurant, start_time=time(12, 30), end_time=time(16))

    # When asking at 11:00 UTC the day before (12:00 local, UTC+1) and on the day (13:00 local, UTC+2)
    saturday = opening_state(restaurant, datetime(2025, 3, 29, 11, 0, tzinfo=UTC))
    sunday = opening_state(restaurant, datetime(2025, 3, 30, 11, 0, tzinfo=UTC))
    # and at 14:15 UTC on the day, which is 16:15 local
    sunday_late = opening_state(restaurant, datetime(2025, 3, 30, 14, 15, tzinfo=UTC))

    # Then the wall clock decides, not the UTC hour
    assert not saturday.is_open
    assert sunday.is_open
    assert not sunday_late.is_open


@pytest.mark.django_db
def test_a_night_shift_across_the_spring_change_ends_at_its_local_end_time():
    # Given a Saturday 22:00–04:00 shift; on 2025-03-30 clocks jump from 02:00 to 03:00
    restaurant = RestaurantFactory()
    ScheduleRangeFactory(
        restaurant=restaurant,
        start_day=Weekday.SATURDAY,
        end_day=Weekday.SATURDAY,
        start_time=time(22),
        end_time=time(4),
    )

    # When asking at 03:30 local (01:30 UTC) and 04:30 local (02:30 UTC)
    # Then it is open until 04:00 local
    assert opening_state(restaurant, datetime(2025, 3, 30, 1, 30, tzinfo=UTC)).is_open
    assert not opening_state(restaurant, datetime(2025, 3, 30, 2, 30, tzinfo=UTC)).is_open


@pytest.mark.django_db
def test_the_repeated_hour_in_autumn_is_inside_a_shift_both_times():
    # Given a Saturday 22:00–03:00 shift; on 2025-10-26 clocks go back from 03:00 to 02:00
    restaurant = RestaurantFactory()
    ScheduleRangeFactory(
        restaurant=restaurant,
        start_day=Weekday.SATURDAY,
        end_day=Weekday.SATURDAY,
        start_time=time(22),
        end_time=time(3),
    )
    sunday = (2025, 10, 26)

    # When asking at 02:30 local, first (UTC+2) and second (UTC+1) time, and at 03:30 local
    first = opening_state(restaurant, local(sunday, 2, 30, fold=0))
    second = opening_state(restaurant, local(sunday, 2, 30, fold=1))
    after = opening_state(restaurant, local(sunday, 3, 30))

    # Then both 02:30s are open (they are different instants) and 03:30 is closed
    assert first.is_open
    assert second.is_open
    assert local(sunday, 2, 30, fold=1).astimezone(UTC) != local(sunday, 2, 30, fold=0).astimezone(UTC)
    assert not after.is_open


@pytest.mark.django_db
def test_a_naive_datetime_is_rejected():
    # Given a restaurant
    restaurant = RestaurantFactory()

    # When asking with a datetime that has no timezone
    # Then it refuses rather than guess whose wall clock that is
    with pytest.raises(ValueError, match="aware"):
        opening_state(restaurant, datetime(2025, 6, 11, 14, 0))


@pytest.mark.django_db
def test_equal_start_and_end_times_mean_a_24_hour_shift():
    # Given a Wednesday range 00:00–00:00
    restaurant = RestaurantFactory()
    ScheduleRangeFactory(
        restaurant=restaurant,
        start_day=Weekday.WEDNESDAY,
        end_day=Weekday.WEDNESDAY,
        start_time=time(0),
        end_time=time(0),
    )

    # When asking at Wednesday 00:00 and 23:59 and Thursday 00:00
    # Then the whole Wednesday is open and it ends at midnight
    assert opening_state(restaurant, local(WEDNESDAY, 0, 0)).is_open
    assert opening_state(restaurant, local(WEDNESDAY, 23, 59)).is_open
    assert not opening_state(restaurant, local((2025, 6, 12), 0, 0)).is_open
