"""opening_state costs a fixed number of queries, and none with prefetched data."""

from __future__ import annotations

from datetime import time

import pytest
from django.utils import timezone

from restaurants.models import Restaurant
from restaurants.opening import OpeningData, opening_prefetches, opening_state
from tests.factories.restaurants import (
    CalendarExceptionFactory,
    PauseFactory,
    RestaurantFactory,
    ScheduleRangeFactory,
)


@pytest.mark.django_db
def test_one_restaurant_costs_four_queries_whatever_it_holds(django_assert_num_queries):
    # Given a restaurant with ranges, an exception and a pause
    restaurant = RestaurantFactory()
    ScheduleRangeFactory.create_batch(3, restaurant=restaurant, start_time=time(12), end_time=time(16))
    CalendarExceptionFactory(restaurant=restaurant)
    PauseFactory(restaurant=restaurant)

    # When asking whether it sells anything
    # Then it reads each relation once
    with django_assert_num_queries(4):
        opening_state(restaurant, timezone.now())


@pytest.mark.django_db
def test_a_prefetched_list_of_restaurants_costs_no_query_per_restaurant(django_assert_num_queries):
    # Given several restaurants with opening data
    for _ in range(3):
        restaurant = RestaurantFactory()
        ScheduleRangeFactory(restaurant=restaurant)
        PauseFactory(restaurant=restaurant)
    now = timezone.now()

    # When loading them with the opening prefetches (1 + 4 queries) and asking about each
    with django_assert_num_queries(5):
        restaurants = list(Restaurant.objects.prefetch_related(*opening_prefetches(now)))
        states = [opening_state(r, now) for r in restaurants]

    # Then every one was answered from memory
    assert [s.status for s in states] == ["paused"] * 3


@pytest.mark.django_db
def test_loaded_opening_data_answers_several_questions_without_queries(django_assert_num_queries):
    # Given a restaurant's opening data loaded once
    restaurant = RestaurantFactory()
    now = timezone.now()
    data = OpeningData.load(restaurant, around=now)

    # When asking about every service
    # Then no query runs
    with django_assert_num_queries(0):
        states = [opening_state(restaurant, now, s, data=data) for s in ("delivery", "collection", "insitu")]
    assert len(states) == 3
