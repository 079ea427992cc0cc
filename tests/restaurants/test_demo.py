"""Demo opening hours for seeds."""

from __future__ import annotations

import pytest

from restaurants.demo import add_demo_opening_hours
from restaurants.models import ScheduleRange, ServiceAvailability
from restaurants.opening import opening_state
from tests.factories.restaurants import RestaurantFactory
from tests.restaurants.helpers import FRIDAY, SATURDAY, SUNDAY, TUESDAY, WEDNESDAY, local


@pytest.mark.django_db
def test_demo_hours_can_be_added_twice_without_duplicates():
    # Given a restaurant offering nothing, with delivery switched off
    restaurant = RestaurantFactory(services=[])
    ServiceAvailability.objects.create(restaurant=restaurant, service_type="delivery", active=False)

    # When adding the demo hours twice
    add_demo_opening_hours(restaurant)
    add_demo_opening_hours(restaurant)

    # Then there are four active services and four ranges, once each
    assert restaurant.offered_service_types() == ["delivery", "collection", "insitu", "reservation"]
    assert all(a.active for a in restaurant.service_availabilities.all())
    assert ScheduleRange.objects.filter(restaurant=restaurant).count() == 4


@pytest.mark.django_db
def test_demo_hours_open_at_lunch_and_dinner_and_late_on_weekends():
    # Given a restaurant with the demo hours
    restaurant = RestaurantFactory(services=[])
    add_demo_opening_hours(restaurant)

    # When asking at typical moments
    def is_open(day, hour, minute=0):
        return opening_state(restaurant, local(day, hour, minute)).is_open

    # Then lunch and dinner are open, with Friday and Saturday nights running to 01:30
    assert is_open(TUESDAY, 13)
    assert not is_open(TUESDAY, 18)
    assert is_open(WEDNESDAY, 23, 15)
    assert not is_open(WEDNESDAY, 23, 45)
    assert is_open(SATURDAY, 1, 0)  # Friday night
    assert not is_open(SATURDAY, 1, 45)
    assert is_open(SUNDAY, 1, 0)  # Saturday night
    assert is_open(SUNDAY, 22, 30)
    assert not is_open(SUNDAY, 23, 30)
    assert not is_open((2025, 6, 9), 1, 0)  # Sunday night ends at 23:00
    assert is_open(FRIDAY, 12, 30)
