"""Pauses: stopping a restaurant now, until a time or until resumed."""

from __future__ import annotations

from datetime import time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from restaurants.models import Pause
from restaurants.opening import OpeningState, opening_state
from restaurants.pauses import pause, resume
from tests.factories.restaurants import PauseFactory, RestaurantFactory, ScheduleRangeFactory, UserFactory


def _always_open(**kwargs):
    """A restaurant open around the clock, so only pauses decide."""
    restaurant = RestaurantFactory(**kwargs)
    ScheduleRangeFactory(restaurant=restaurant, start_time=time(0), end_time=time(0))
    return restaurant


@pytest.mark.django_db
def test_a_pause_with_an_end_is_active_before_it_and_not_after():
    # Given an always-open restaurant paused from 20:00 to 21:30 local
    restaurant = _always_open()
    madrid = ZoneInfo("Europe/Madrid")
    start = timezone.datetime(2025, 6, 11, 20, 0, tzinfo=madrid)
    PauseFactory(restaurant=restaurant, created_at=start, until=start + timedelta(minutes=90))

    # When asking during, after and before the pause
    during = opening_state(restaurant, start + timedelta(minutes=30))
    after = opening_state(restaurant, start + timedelta(minutes=90))
    before = opening_state(restaurant, start - timedelta(minutes=1))

    # Then it is paused with a readable reason only during it
    assert during == OpeningState(False, "paused", "paused until 21:30: kitchen overloaded")
    assert after.is_open
    assert before.is_open


@pytest.mark.django_db
def test_the_pause_service_records_who_and_why_and_reads_as_paused():
    # Given an always-open restaurant and a manager
    restaurant = _always_open()
    manager = UserFactory()

    # When the manager pauses it for 20 minutes
    created = pause(restaurant, timezone.now() + timedelta(minutes=20), "no rider", by=manager)

    # Then the pause is stored and the restaurant reads as paused now
    assert created.created_by == manager
    assert created.is_active()
    state = opening_state(restaurant, timezone.now())
    assert state.status == "paused"
    assert state.reason.endswith(": no rider")


@pytest.mark.django_db
def test_an_indefinite_pause_lasts_until_resumed():
    # Given an always-open restaurant paused with no end
    restaurant = _always_open()
    manager = UserFactory()
    pause(restaurant, None, "closing early")

    # When time passes, then someone resumes it
    tomorrow = opening_state(restaurant, timezone.now() + timedelta(days=1))
    resumed = resume(restaurant, by=manager)

    # Then it stayed paused until resumed, and the row is kept as history
    assert tomorrow == OpeningState(False, "paused", "paused until resumed: closing early")
    assert resumed == 1
    assert opening_state(restaurant, timezone.now()).is_open
    row = Pause.objects.get(restaurant=restaurant)
    assert row.resumed_at is not None
    assert row.resumed_by == manager


@pytest.mark.django_db
def test_resume_leaves_expired_and_already_resumed_pauses_alone():
    # Given an expired pause, an already resumed one, and an active one
    restaurant = _always_open()
    now = timezone.now()
    PauseFactory(restaurant=restaurant, created_at=now - timedelta(hours=2), until=now - timedelta(hours=1))
    PauseFactory(restaurant=restaurant, until=None, resumed_at=now - timedelta(minutes=1))
    PauseFactory(restaurant=restaurant, until=None)

    # When resuming
    # Then only the active one is ended
    assert resume(restaurant) == 1
    assert resume(restaurant) == 0


@pytest.mark.django_db
def test_a_pause_of_one_service_only_stops_that_service():
    # Given an always-open restaurant with delivery paused
    restaurant = _always_open()
    pause(restaurant, timezone.now() + timedelta(hours=1), "rain", service_type="delivery")
    now = timezone.now()

    # When asking per service and for the restaurant as a whole
    # Then delivery is paused, collection is open, and the restaurant still sells something
    assert opening_state(restaurant, now, "delivery").status == "paused"
    assert opening_state(restaurant, now, "collection").is_open
    assert opening_state(restaurant, now).is_open


@pytest.mark.django_db
def test_resuming_one_service_keeps_a_restaurant_wide_pause():
    # Given a restaurant-wide pause and a delivery pause
    restaurant = _always_open()
    pause(restaurant, None, "inventory")
    pause(restaurant, None, "rain", service_type="delivery")

    # When resuming delivery only
    ended = resume(restaurant, service_type="delivery")

    # Then the delivery pause ended and the restaurant is still paused as a whole
    assert ended == 1
    assert opening_state(restaurant, timezone.now(), "delivery").reason == "paused until resumed: inventory"


@pytest.mark.django_db
def test_a_restaurant_wide_pause_reads_as_paused_for_the_whole_restaurant():
    # Given an always-open restaurant paused for everything
    restaurant = _always_open()
    pause(restaurant, None, "")

    # When asking with no service type
    # Then it is paused, with no dangling colon for an empty reason
    assert opening_state(restaurant, timezone.now()) == OpeningState(False, "paused", "paused until resumed")


@pytest.mark.django_db
def test_a_pause_ending_on_another_local_day_shows_its_date():
    # Given a pause until tomorrow
    restaurant = _always_open()
    start = timezone.datetime(2025, 6, 11, 22, 0, tzinfo=ZoneInfo("Europe/Madrid"))
    PauseFactory(restaurant=restaurant, created_at=start, until=start + timedelta(hours=12), reason="")

    # When asking during it
    # Then the reason carries the date
    assert opening_state(restaurant, start + timedelta(minutes=1)).reason == "paused until 2025-06-12 10:00"


@pytest.mark.django_db
def test_pause_refuses_an_end_in_the_past_and_an_unknown_service():
    # Given a restaurant
    restaurant = RestaurantFactory()

    # When pausing into the past or for an unknown service
    # Then it refuses
    with pytest.raises(ValueError, match="future"):
        pause(restaurant, timezone.now() - timedelta(minutes=1), "oops")
    with pytest.raises(ValueError, match="unknown service"):
        pause(restaurant, None, "oops", service_type="drone")
    assert not Pause.objects.exists()
