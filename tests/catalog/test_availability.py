"""Availability and snoozing: when can a customer order a product, variant or option."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from catalog.snoozing import snooze, unsnooze
from tests.factories.catalog import OptionFactory, ProductFactory, VariantFactory

pytestmark = pytest.mark.django_db

MADRID = ZoneInfo("Europe/Madrid")
DINNER = datetime(2026, 5, 1, 21, 0, tzinfo=MADRID)


@pytest.mark.parametrize("factory", [ProductFactory, OptionFactory])
def test_available_and_never_snoozed_is_available(factory):
    item = factory.build(available=True, snoozed_until=None)
    assert item.is_available(DINNER)


@pytest.mark.parametrize("factory", [ProductFactory, OptionFactory])
def test_switched_off_is_unavailable_whatever_the_snooze(factory):
    assert not factory.build(available=False, snoozed_until=None).is_available(DINNER)
    assert not factory.build(available=False, snoozed_until=DINNER - timedelta(hours=1)).is_available(DINNER)


@pytest.mark.parametrize("factory", [ProductFactory, OptionFactory])
def test_snooze_hides_the_item_until_the_instant_it_ends(factory):
    # given an item snoozed until 23:00 Madrid time
    item = factory.build(available=True, snoozed_until=datetime(2026, 5, 1, 23, 0, tzinfo=MADRID))
    # then it is unavailable before 23:00, and available again from 23:00 on
    assert not item.is_available(DINNER)
    assert not item.is_available(datetime(2026, 5, 1, 22, 59, 59, tzinfo=MADRID))
    assert item.is_available(datetime(2026, 5, 1, 23, 0, tzinfo=MADRID))
    assert item.is_available(datetime(2026, 5, 2, 12, 0, tzinfo=MADRID))


def test_snooze_end_compares_instants_across_timezones():
    # given a snooze ending at 21:00 UTC, which is 23:00 in Madrid in summer
    product = ProductFactory.build(snoozed_until=datetime(2026, 5, 1, 21, 0, tzinfo=ZoneInfo("UTC")))
    # then 22:30 Madrid (20:30 UTC) is still snoozed, 23:00 Madrid is not
    assert not product.is_available(datetime(2026, 5, 1, 22, 30, tzinfo=MADRID))
    assert product.is_available(datetime(2026, 5, 1, 23, 0, tzinfo=MADRID))


def test_is_available_defaults_to_now():
    assert ProductFactory.build(snoozed_until=timezone.now() - timedelta(minutes=1)).is_available()
    assert not ProductFactory.build(snoozed_until=timezone.now() + timedelta(hours=1)).is_available()


def test_is_available_refuses_a_naive_time():
    with pytest.raises(ValueError, match="timezone-aware"):
        ProductFactory.build().is_available(datetime(2026, 5, 1, 21, 0))


def test_variant_follows_its_own_flag_and_its_product():
    # given a variant of a product snoozed until 23:00
    variant = VariantFactory.build(
        product=ProductFactory.build(snoozed_until=datetime(2026, 5, 1, 23, 0, tzinfo=MADRID)), available=True
    )
    # then the variant is unavailable while its product is snoozed, available after
    assert not variant.is_available(DINNER)
    assert variant.is_available(datetime(2026, 5, 1, 23, 30, tzinfo=MADRID))
    # and a switched-off variant stays off even when the product is on
    variant.available = False
    assert not variant.is_available(datetime(2026, 5, 1, 23, 30, tzinfo=MADRID))


@pytest.mark.parametrize("factory", [ProductFactory, OptionFactory])
def test_snooze_service_persists_the_end_and_keeps_the_durable_flag(factory):
    # given an available item
    item = factory()
    until = timezone.now() + timedelta(hours=2)
    # when snoozed for two hours
    snooze(item, until)
    # then the database knows, and the item is back on by itself afterwards
    item.refresh_from_db()
    assert item.snoozed_until == until
    assert item.available
    assert not item.is_available(until - timedelta(seconds=1))
    assert item.is_available(until)


@pytest.mark.parametrize("factory", [ProductFactory, OptionFactory])
def test_unsnooze_service_makes_the_item_available_now(factory):
    # given an item snoozed for the night
    item = factory(snoozed_until=timezone.now() + timedelta(hours=6))
    # when unsnoozed
    unsnooze(item)
    # then it is available at once
    item.refresh_from_db()
    assert item.snoozed_until is None
    assert item.is_available()


def test_unsnooze_leaves_a_switched_off_item_off():
    product = ProductFactory(available=False, snoozed_until=timezone.now() + timedelta(hours=1))
    unsnooze(product)
    product.refresh_from_db()
    assert not product.is_available()


def test_snooze_refuses_a_naive_end():
    product = ProductFactory()
    with pytest.raises(ValueError, match="until must be a timezone-aware"):
        snooze(product, datetime(2026, 5, 1, 23, 0))
    product.refresh_from_db()
    assert product.snoozed_until is None
