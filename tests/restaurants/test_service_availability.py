"""Which services a restaurant offers, and whether each is switched on."""

from __future__ import annotations

from datetime import time

import pytest
from django.db import IntegrityError

from restaurants.models import ServiceAvailability
from restaurants.opening import OpeningState, opening_state
from tests.factories.restaurants import (
    PauseFactory,
    RestaurantFactory,
    ScheduleRangeFactory,
    ServiceAvailabilityFactory,
)
from tests.restaurants.helpers import WEDNESDAY, local


@pytest.mark.django_db
def test_a_service_not_offered_is_closed_whatever_the_schedule():
    # Given a restaurant offering delivery only, open at lunch
    restaurant = RestaurantFactory(services=["delivery"])
    ScheduleRangeFactory(restaurant=restaurant, start_time=time(13), end_time=time(16))

    # When asking for reservations at lunch
    state = opening_state(restaurant, local(WEDNESDAY, 14), "reservation")

    # Then it is not offered
    assert state == OpeningState(False, "closed", "service not offered")
    assert opening_state(restaurant, local(WEDNESDAY, 14), "delivery").is_open


@pytest.mark.django_db
def test_a_switched_off_service_is_closed_before_any_pause_is_considered():
    # Given delivery offered but switched off, and a pause
    restaurant = RestaurantFactory(services=[])
    ServiceAvailabilityFactory(restaurant=restaurant, service_type="delivery", active=False)
    ScheduleRangeFactory(restaurant=restaurant, start_time=time(0), end_time=time(0))
    PauseFactory(restaurant=restaurant, created_at=local(WEDNESDAY, 0), until=None)

    # When asking for delivery
    state = opening_state(restaurant, local(WEDNESDAY, 14), "delivery")

    # Then "not offered" wins over the pause
    assert state == OpeningState(False, "closed", "service not offered: switched off")


@pytest.mark.django_db
def test_a_restaurant_offering_nothing_is_closed():
    # Given a restaurant with no service
    restaurant = RestaurantFactory(services=[])
    ScheduleRangeFactory(restaurant=restaurant, start_time=time(0), end_time=time(0))

    # When asking whether it sells anything
    # Then it does not
    assert opening_state(restaurant, local(WEDNESDAY, 14)) == OpeningState(False, "closed", "no service offered")


@pytest.mark.django_db
def test_offered_service_types_lists_offered_services_in_a_stable_order():
    # Given reservation (off) and delivery offered
    restaurant = RestaurantFactory(services=[])
    ServiceAvailabilityFactory(restaurant=restaurant, service_type="reservation", active=False)
    ServiceAvailabilityFactory(restaurant=restaurant, service_type="delivery")

    # When listing the offered service types
    # Then both are listed, in ServiceType order
    assert restaurant.offered_service_types() == ["delivery", "reservation"]


@pytest.mark.django_db
def test_a_service_type_is_offered_once_per_restaurant():
    # Given a restaurant offering delivery
    restaurant = RestaurantFactory(services=["delivery"])

    # When adding delivery a second time directly
    # Then the database refuses
    with pytest.raises(IntegrityError):
        ServiceAvailability.objects.create(restaurant=restaurant, service_type="delivery")


@pytest.mark.django_db
def test_an_unknown_service_type_is_a_programming_error():
    # Given a restaurant
    restaurant = RestaurantFactory()

    # When asking about a service type Sinqro does not have
    # Then it raises instead of answering "closed"
    with pytest.raises(ValueError, match="unknown service type"):
        opening_state(restaurant, local(WEDNESDAY, 14), "drone")
