"""Calendar exceptions: holidays that close and special hours that open."""

from __future__ import annotations

from datetime import time

import pytest

from restaurants.models import CalendarException, Weekday
from restaurants.opening import OpeningState, opening_state
from tests.factories.restaurants import CalendarExceptionFactory, RestaurantFactory, ScheduleRangeFactory
from tests.restaurants.helpers import FRIDAY, MONDAY, SATURDAY, TUESDAY, WEDNESDAY, local


@pytest.mark.django_db
def test_a_closed_exception_closes_during_regular_hours():
    # Given lunch every day and a closing for the whole Wednesday
    restaurant = RestaurantFactory()
    ScheduleRangeFactory(restaurant=restaurant, start_time=time(13), end_time=time(16))
    CalendarExceptionFactory(
        restaurant=restaurant,
        kind=CalendarException.Kind.CLOSED,
        starts_at=local(WEDNESDAY, 0),
        expires_at=local((2025, 6, 12), 0),
        reason="Christmas",
    )

    # When asking at Wednesday lunch and Thursday lunch
    wednesday = opening_state(restaurant, local(WEDNESDAY, 14))
    thursday = opening_state(restaurant, local((2025, 6, 12), 14))

    # Then Wednesday is closed with the reason and Thursday is back to normal
    assert wednesday == OpeningState(False, "closed", "closed: Christmas")
    assert thursday.is_open


@pytest.mark.django_db
def test_a_closed_exception_for_delivery_leaves_dine_in_open():
    # Given lunch every day and delivery closed on Wednesday
    restaurant = RestaurantFactory()
    ScheduleRangeFactory(restaurant=restaurant, start_time=time(13), end_time=time(16))
    CalendarExceptionFactory(
        restaurant=restaurant,
        service_type="delivery",
        starts_at=local(WEDNESDAY, 0),
        expires_at=local((2025, 6, 12), 0),
        reason="riders on strike",
    )

    # When asking at Wednesday lunch per service
    # Then delivery is closed, dine-in is open, and "anything open" is yes
    assert opening_state(restaurant, local(WEDNESDAY, 14), "delivery").reason == "closed: riders on strike"
    assert opening_state(restaurant, local(WEDNESDAY, 14), "insitu").is_open
    assert opening_state(restaurant, local(WEDNESDAY, 14)).is_open


@pytest.mark.django_db
def test_special_hours_open_a_normally_closed_day():
    # Given lunch Monday to Friday only and special hours on Saturday 18:00–22:00
    restaurant = RestaurantFactory()
    ScheduleRangeFactory(
        restaurant=restaurant, start_day=Weekday.MONDAY, end_day=Weekday.FRIDAY, start_time=time(13), end_time=time(16)
    )
    CalendarExceptionFactory(
        restaurant=restaurant,
        kind=CalendarException.Kind.SPECIAL_HOURS,
        starts_at=local(SATURDAY, 18),
        expires_at=local(SATURDAY, 22),
        reason="wedding party",
    )

    # When asking on Saturday inside and outside the window
    inside = opening_state(restaurant, local(SATURDAY, 19))
    outside = opening_state(restaurant, local(SATURDAY, 14))

    # Then the window is open and the rest of Saturday is closed
    assert inside == OpeningState(True, "open", "open: special hours: wedding party")
    assert outside == OpeningState(False, "closed", "outside special hours: wedding party")


@pytest.mark.django_db
def test_special_hours_replace_the_regular_shifts_of_their_day_only():
    # Given lunch 13:00–16:00 and dinner 20:00–02:00 every day, and Tuesday special hours 10:00–12:00
    restaurant = RestaurantFactory()
    ScheduleRangeFactory(restaurant=restaurant, start_time=time(13), end_time=time(16))
    ScheduleRangeFactory(restaurant=restaurant, start_time=time(20), end_time=time(2))
    CalendarExceptionFactory(
        restaurant=restaurant,
        kind=CalendarException.Kind.SPECIAL_HOURS,
        starts_at=local(TUESDAY, 10),
        expires_at=local(TUESDAY, 12),
        reason="market day",
    )

    # When asking on Tuesday
    special = opening_state(restaurant, local(TUESDAY, 11))
    lunch = opening_state(restaurant, local(TUESDAY, 14))
    monday_night_tail = opening_state(restaurant, local(TUESDAY, 1))
    wednesday_night_tail = opening_state(restaurant, local(WEDNESDAY, 1))

    # Then Tuesday's own shifts are replaced, while Monday night's tail still belongs to Monday
    assert special.is_open
    assert not lunch.is_open
    assert monday_night_tail.is_open
    assert not wednesday_night_tail.is_open


@pytest.mark.django_db
def test_a_closed_exception_wins_over_special_hours():
    # Given special hours and a closing overlapping them
    restaurant = RestaurantFactory()
    CalendarExceptionFactory(
        restaurant=restaurant,
        kind=CalendarException.Kind.SPECIAL_HOURS,
        starts_at=local(FRIDAY, 10),
        expires_at=local(FRIDAY, 23),
    )
    CalendarExceptionFactory(
        restaurant=restaurant, starts_at=local(FRIDAY, 15), expires_at=local(FRIDAY, 17), reason="power cut"
    )

    # When asking inside both and inside only the special window
    # Then the closing wins where they overlap
    assert opening_state(restaurant, local(FRIDAY, 16)).reason == "closed: power cut"
    assert opening_state(restaurant, local(FRIDAY, 12)).is_open


@pytest.mark.django_db
def test_an_exception_on_another_restaurant_changes_nothing():
    # Given two restaurants with lunch, one closed on Monday
    closed = RestaurantFactory()
    other = RestaurantFactory()
    for restaurant in (closed, other):
        ScheduleRangeFactory(restaurant=restaurant, start_time=time(13), end_time=time(16))
    CalendarExceptionFactory(restaurant=closed, starts_at=local(MONDAY, 0), expires_at=local(TUESDAY, 0))

    # When asking at Monday lunch
    # Then only the first is closed
    assert not opening_state(closed, local(MONDAY, 14)).is_open
    assert opening_state(other, local(MONDAY, 14)).is_open
