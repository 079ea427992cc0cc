"""Support staff's admin pages render and record who paused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from restaurants.demo import add_demo_opening_hours
from restaurants.models import Pause
from tests.factories.restaurants import (
    CalendarExceptionFactory,
    PauseFactory,
    RestaurantFactory,
    RestaurantMemberFactory,
)


@pytest.fixture
def restaurant():
    """A restaurant with something in every inline."""
    restaurant = RestaurantFactory(name="Casa Lola")
    add_demo_opening_hours(restaurant)
    CalendarExceptionFactory(restaurant=restaurant, reason="Christmas")
    PauseFactory(restaurant=restaurant, reason="kitchen overloaded")
    RestaurantMemberFactory(restaurant=restaurant)
    return restaurant


@pytest.mark.django_db
def test_restaurant_changelist_shows_open_now(admin_client, restaurant):
    # Given a paused restaurant
    # When a superuser opens the restaurant list
    response = admin_client.get(reverse("admin:restaurants_restaurant_changelist"))

    # Then it renders with the computed state
    assert response.status_code == 200
    assert "Casa Lola" in response.text
    assert "PAUSED" in response.text


@pytest.mark.django_db
def test_restaurant_changelist_search_and_filters_render(admin_client, restaurant):
    # Given a restaurant
    # When searching and filtering
    url = reverse("admin:restaurants_restaurant_changelist")
    searched = admin_client.get(url, {"q": "Lola"})
    filtered = admin_client.get(url, {"service_availabilities__service_type": "delivery", "timezone": "Europe/Madrid"})

    # Then both render
    assert searched.status_code == 200
    assert filtered.status_code == 200


@pytest.mark.django_db
def test_restaurant_change_and_add_pages_render(admin_client, restaurant):
    # Given a restaurant with every inline filled
    # When opening its change page and the add page
    change = admin_client.get(reverse("admin:restaurants_restaurant_change", args=[restaurant.pk]))
    add = admin_client.get(reverse("admin:restaurants_restaurant_add"))

    # Then both render
    assert change.status_code == 200
    assert "kitchen overloaded" in change.text
    assert add.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["pause", "calendarexception"])
def test_pause_and_exception_admins_render(admin_client, restaurant, model):
    # Given a restaurant with a pause and an exception
    row = Pause.objects.get() if model == "pause" else restaurant.calendar_exceptions.get()

    # When opening the list (filtered) and a row
    changelist = admin_client.get(reverse(f"admin:restaurants_{model}_changelist"), {"service_type__exact": "delivery"})
    change = admin_client.get(reverse(f"admin:restaurants_{model}_change", args=[row.pk]))

    # Then both render
    assert changelist.status_code == 200
    assert change.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("state", ["active", "finished"])
def test_pause_state_filter_renders(admin_client, restaurant, state):
    # Given a restaurant with an active pause
    # When filtering pauses by state
    response = admin_client.get(reverse("admin:restaurants_pause_changelist"), {"state": state})

    # Then it renders and lists the pause only as active
    assert response.status_code == 200
    assert ("kitchen overloaded" in response.text) is (state == "active")


@pytest.mark.django_db
def test_adding_a_pause_in_admin_records_the_user(admin_client, admin_user):
    # Given a restaurant
    restaurant = RestaurantFactory()

    # When a superuser adds a pause
    until = timezone.localtime(timezone.now() + timedelta(hours=1))
    response = admin_client.post(
        reverse("admin:restaurants_pause_add"),
        {
            "restaurant": restaurant.pk,
            "service_type": "",
            "until_0": until.strftime("%Y-%m-%d"),
            "until_1": until.strftime("%H:%M:%S"),
            "reason": "short-staffed",
        },
    )

    # Then it is saved as the user's, for all services
    assert response.status_code == 302
    created = Pause.objects.get(restaurant=restaurant)
    assert created.created_by == admin_user
    assert created.service_type is None


@pytest.mark.django_db
def test_resume_action_ends_selected_pauses(admin_client, admin_user, restaurant):
    # Given an active pause
    active = Pause.objects.get()

    # When resuming it with the admin action
    response = admin_client.post(
        reverse("admin:restaurants_pause_changelist"),
        {"action": "resume_selected", "_selected_action": [active.pk]},
    )

    # Then it is resumed by the user
    assert response.status_code == 302
    active.refresh_from_db()
    assert active.resumed_at is not None
    assert active.resumed_by == admin_user
