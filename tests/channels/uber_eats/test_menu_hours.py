"""An Uber Eats menu is served when the restaurant is open: Uber's menu guide makes the store's hours the union of
its menus' ``service_availability`` (uber_eats.md finding 28), so the menu carries the restaurant's weekly hours,
never 00:00–23:59 every day (which opened the store around the clock)."""

from __future__ import annotations

from datetime import time

import pytest

from canonical import CanonicalCatalog, ServiceType, WeeklyRange
from catalog.export import build_canonical_catalog
from integrations.channels.uber_eats.menu import catalog_to_menu, service_availability
from integrations.outbound.services import set_opening_hours
from tests.factories.catalog import SectionItemFactory
from tests.factories.integrations import ChannelFactory, ConnectionFactory
from tests.factories.restaurants import ScheduleRangeFactory

LUNCH = WeeklyRange(start_day=0, end_day=4, start_time=time(12, 30), end_time=time(16))  # Monday to Friday
DINNER = WeeklyRange(start_day=4, end_day=5, start_time=time(20), end_time=time(0, 30))  # Fri, Sat: past midnight


def periods(availability: list[dict]) -> dict[str, list[tuple[str, str]]]:
    return {day["day_of_week"]: [(p["start_time"], p["end_time"]) for p in day["time_periods"]]
            for day in availability}


def test_the_menu_is_served_in_the_restaurants_hours_a_late_shift_going_on_past_midnight():
    assert periods(service_availability((LUNCH, DINNER))) == {
        "monday": [("12:30", "16:00")],
        "tuesday": [("12:30", "16:00")],
        "wednesday": [("12:30", "16:00")],
        "thursday": [("12:30", "16:00")],
        "friday": [("12:30", "16:00"), ("20:00", "23:59")],
        "saturday": [("00:00", "00:30"), ("20:00", "23:59")],
        "sunday": [("00:00", "00:30")],
    }


def test_overlapping_shifts_merge_and_reservation_only_hours_do_not_open_the_store():
    brunch = WeeklyRange(start_day=6, end_day=6, start_time=time(11), end_time=time(13))
    lunch = WeeklyRange(start_day=6, end_day=6, start_time=time(12, 30), end_time=time(16))
    tables = WeeklyRange(start_day=2, end_day=2, start_time=time(19), end_time=time(23),
                         service_type=ServiceType.RESERVATION)

    assert periods(service_availability((brunch, lunch, tables))) == {"sunday": [("11:00", "16:00")]}


@pytest.mark.parametrize("hours", [None, ()])
def test_a_catalog_without_hours_keeps_every_day_whole(hours):
    assert periods(service_availability(hours)) == {day: [("00:00", "23:59")] for day in (
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")}


@pytest.mark.django_db
def test_the_published_catalog_carries_the_weekly_hours_into_the_uber_menu():
    item = SectionItemFactory()
    restaurant = item.section.menu.restaurant
    ScheduleRangeFactory(restaurant=restaurant, start_day=1, end_day=1, start_time=time(13), end_time=time(15, 30))

    catalog = build_canonical_catalog(restaurant)
    [menu] = catalog_to_menu(catalog)["menus"]

    assert catalog.hours == (WeeklyRange(start_day=1, end_day=1, start_time=time(13), end_time=time(15, 30)),)
    assert periods(menu["service_availability"]) == {"tuesday": [("13:00", "15:30")]}


@pytest.mark.django_db
def test_new_weekly_hours_send_the_uber_menu_again_with_them():
    channel = ChannelFactory(module="uber_eats")
    connection = ConnectionFactory(channel=channel, credentials={"client_id": "c", "client_secret": "uber-secret"})
    other = ConnectionFactory(restaurant=connection.restaurant)  # the Sandbox Market: its menus carry no hours
    SectionItemFactory(section__menu__restaurant=connection.restaurant, product__restaurant=connection.restaurant)
    ScheduleRangeFactory(restaurant=connection.restaurant, start_day=2, end_day=2, start_time=time(19),
                         end_time=time(23))

    jobs = set_opening_hours(connection.restaurant)

    kinds = sorted((job.connection_id, job.kind) for job in jobs)
    assert kinds == sorted([(connection.pk, "opening_hours"), (connection.pk, "catalog"),
                            (other.pk, "opening_hours")])
    [menu_job] = [job for job in jobs if job.kind == "catalog"]
    [menu] = catalog_to_menu(CanonicalCatalog.model_validate(menu_job.payload))["menus"]
    assert periods(menu["service_availability"]) == {"wednesday": [("19:00", "23:00")]}

