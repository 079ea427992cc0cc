"""Uber Eats outbound bodies where the reference pages settle more than one corpus fixture can show.

Holiday hours (https://developer.uber.com/docs/eats/references/api/v1/post-eats-stores-storeid-holidayhours):
the periods "the restaurant will be open on this date", and "closed for the whole day" is 00:00-00:00. Menu
prices (…/v2/post-eats-stores-storeid-menus-items-itemid, 'PriceRules'): "in the lowest local currency
denomination". The documented requests themselves are the corpus' ``request_*`` fixtures.
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from decimal import Decimal

from canonical import (
    Availability,
    CalendarException,
    CanonicalCatalog,
    CatalogMenu,
    CatalogProduct,
    CatalogSection,
    ItemKind,
    ItemUpdate,
    WeeklyRange,
)
from integrations.channels.uber_eats.hours import availability_to_holiday_hours
from integrations.channels.uber_eats.menu import catalog_to_menu, item_update_to_body

CLOSED = [{"start_time": "00:00", "end_time": "00:00"}]


def periods(availability: Availability, day: str) -> list[dict[str, str]]:
    return availability_to_holiday_hours(availability)["holiday_hours"][day]["open_time_periods"]


def test_a_day_closed_all_day_is_sent_as_00_00_to_00_00_not_as_no_periods():
    christmas = Availability(timezone="Europe/Madrid", exceptions=(CalendarException(
        starts_at=datetime(2026, 12, 24, 23, tzinfo=UTC), expires_at=datetime(2026, 12, 25, 23, tzinfo=UTC)),))

    assert availability_to_holiday_hours(christmas) == {"holiday_hours": {"2026-12-25": {"open_time_periods": CLOSED}}}


def test_a_closure_over_the_whole_of_the_days_regular_hours_closes_the_day():
    lunch_only = Availability(timezone="Europe/Madrid", weekly=(
        WeeklyRange(start_day=0, end_day=6, start_time=time(13), end_time=time(16)),), exceptions=(CalendarException(
            starts_at=datetime(2026, 3, 2, 11, tzinfo=UTC), expires_at=datetime(2026, 3, 2, 16, tzinfo=UTC)),))

    assert periods(lunch_only, "2026-03-02") == CLOSED


def test_a_day_closed_in_part_keeps_its_regular_hours_outside_the_closure_not_the_whole_day():
    # Open 12:00-16:00 and 20:00-23:30; closed 15:00-21:00 local (Madrid, UTC+1 in March).
    split = Availability(timezone="Europe/Madrid", weekly=(
        WeeklyRange(start_day=0, end_day=6, start_time=time(12), end_time=time(16)),
        WeeklyRange(start_day=0, end_day=6, start_time=time(20), end_time=time(23, 30))), exceptions=(
        CalendarException(starts_at=datetime(2026, 3, 2, 14, tzinfo=UTC),
                          expires_at=datetime(2026, 3, 2, 20, tzinfo=UTC)),))

    assert periods(split, "2026-03-02") == [{"start_time": "12:00", "end_time": "15:00"},
                                            {"start_time": "21:00", "end_time": "23:30"}]


def test_a_late_shift_of_the_day_before_still_opens_the_early_hours():
    # Friday 19:00-02:00; Saturday 7 March closed from 12:00: Saturday keeps 00:00-02:00 of Friday's shift.
    late = Availability(timezone="Europe/Madrid", weekly=(
        WeeklyRange(start_day=4, end_day=4, start_time=time(19), end_time=time(2)),), exceptions=(
        CalendarException(starts_at=datetime(2026, 3, 7, 11, tzinfo=UTC),
                          expires_at=datetime(2026, 3, 7, 23, tzinfo=UTC)),))

    assert periods(late, "2026-03-07") == [{"start_time": "00:00", "end_time": "02:00"}]


def test_special_hours_past_midnight_add_to_the_next_days_regular_hours():
    new_year = Availability(timezone="Europe/Madrid", weekly=(
        WeeklyRange(start_day=0, end_day=6, start_time=time(12), end_time=time(23)),), exceptions=(CalendarException(
            starts_at=datetime(2026, 12, 31, 19, tzinfo=UTC), expires_at=datetime(2027, 1, 1, 2, tzinfo=UTC),
            closed=False),))

    assert periods(new_year, "2026-12-31") == [{"start_time": "20:00", "end_time": "23:59"}]
    assert periods(new_year, "2027-01-01") == [{"start_time": "00:00", "end_time": "03:00"},
                                               {"start_time": "12:00", "end_time": "23:00"}]


def test_menu_prices_count_in_the_currencys_own_lowest_denomination():
    ramen = ItemUpdate(kind=ItemKind.PRODUCT, sku="RAMEN", price=Decimal("1250"))
    menu = catalog_to_menu(CanonicalCatalog(
        currency="JPY", products=(CatalogProduct(sku="RAMEN", name="Ramen", price=Decimal("1250")),),
        menus=(CatalogMenu(ref="m", name="Menu", sections=(CatalogSection(ref="s", name="Noodles",
                                                                           product_skus=("RAMEN",)),)),)))

    assert item_update_to_body(ramen, "JPY") == {"price_info": {"price": 1250}}
    assert item_update_to_body(ramen.model_copy(update={"price": Decimal("12.50")}), "USD") == {
        "price_info": {"price": 1250}}
    assert menu["items"][0]["price_info"] == {"price": 1250}
