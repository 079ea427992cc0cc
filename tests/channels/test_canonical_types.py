"""Canonical types refuse what would corrupt an order: floats for money, naive times, dangling references."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from pydantic import ValidationError

from canonical import (
    CanonicalCatalog,
    CatalogMenu,
    CatalogOptionCategory,
    CatalogProduct,
    CatalogSection,
    InboundEvent,
    InboundEventKind,
    Money,
    OrderLine,
)
from integrations.channels.sandbox_market.translate import ticket_to_order

from .sandbox_market_samples import booking, ticket


def test_money_refuses_floats_and_keeps_exact_decimals():
    with pytest.raises(ValidationError, match="must not be a float"):
        Money(amount=0.1, currency="EUR")

    assert Money(amount="0.10", currency="eur") + Money(amount=Decimal("0.20"), currency="EUR") == Money(
        amount=Decimal("0.30"), currency="EUR"
    )
    assert Money.from_cents(1999, "EUR").amount == Decimal("19.99")
    assert Money(amount=Decimal("19.995"), currency="EUR").to_cents() == 2000


def test_money_refuses_mixing_currencies_and_bad_codes():
    with pytest.raises(ValueError, match="cannot combine EUR and GBP"):
        Money.from_cents(1, "EUR") + Money.from_cents(1, "GBP")
    with pytest.raises(ValidationError):
        Money(amount=1, currency="EURO")


def test_times_must_be_aware_and_are_normalised_to_utc():
    madrid = timezone(timedelta(hours=1))
    data = ticket()
    data["placed_at"] = "2026-11-27T13:00:00+01:00"

    order = ticket_to_order(data)

    assert order.placed_at == datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
    assert order.placed_at.tzinfo == UTC
    with pytest.raises(ValidationError, match="must carry a timezone"):
        order.model_copy(update={}).model_validate({**order.model_dump(), "placed_at": datetime(2026, 1, 1)})
    assert datetime(2026, 1, 1, tzinfo=madrid).utcoffset() == timedelta(hours=1)


def test_a_reservation_needs_diners_and_a_time():
    order = ticket_to_order(booking())
    assert order.diners == 4 and order.is_reservation

    with pytest.raises(ValidationError, match="needs diners"):
        order.model_validate({**order.model_dump(), "diners": None})


def test_an_order_in_one_currency_refuses_a_line_in_another():
    order = ticket_to_order(ticket())
    foreign = OrderLine(name="x", quantity=1, unit_price=Money.from_cents(100, "GBP"))

    with pytest.raises(ValidationError, match="amount in GBP on an order in EUR"):
        order.model_validate({**order.model_dump(), "lines": [foreign.model_dump()]})


def test_line_totals_nest_options_per_parent_unit():
    line = OrderLine(
        name="Pizza", quantity=2, unit_price=Money.from_cents(1000, "EUR"), vat_rate=10,
        options=(OrderLine(name="Cheese", quantity=1, unit_price=Money.from_cents(150, "EUR"), vat_rate=10),),
    )

    assert line.gross_total() == Decimal("23.00")
    assert line.vat_total() == Decimal("1.82") + Decimal("0.27")


def test_catalog_references_must_resolve_and_skus_be_unique():
    product = CatalogProduct(sku="P1", name="Pizza", price=Decimal("9.00"), option_category_refs=("missing",))
    with pytest.raises(ValidationError, match="unknown option categories"):
        CanonicalCatalog(currency="EUR", products=(product,))
    with pytest.raises(ValidationError, match="unknown products"):
        CanonicalCatalog(currency="EUR", menus=(CatalogMenu(ref="m", name="M", sections=(
            CatalogSection(ref="s", name="S", product_skus=("P9",)),)),))
    with pytest.raises(ValidationError, match="duplicate SKU"):
        CanonicalCatalog(currency="EUR", products=(
            CatalogProduct(sku="P1", name="A", price=Decimal("1")), CatalogProduct(sku="P1", name="B", price=1)))
    with pytest.raises(ValidationError, match="min_selections > max_selections"):
        CatalogOptionCategory(ref="c", name="C", min_selections=3, max_selections=1)


def test_inbound_events_are_consistent():
    with pytest.raises(ValidationError, match="needs ignored_reason"):
        InboundEvent(kind=InboundEventKind.UNKNOWN, event_id="e")
    with pytest.raises(ValidationError, match="needs the channel's raw status"):
        InboundEvent(kind=InboundEventKind.STATUS_CHANGED, event_id="e", channel_order_id="1")
    thin = InboundEvent(kind=InboundEventKind.NEW_ORDER, event_id="e", channel_order_id="1")
    assert thin.needs_fetch


def test_each_word_is_stated_once_the_database_choices_come_from_the_canonical_enums():
    from canonical import MenuKind, OrderStatus, PaymentMethod, ServiceType, StatusSource
    from catalog.models import Menu
    from orders.models import Order, Payment, StatusChange
    from restaurants.models import ScheduleRange

    assert Order._meta.get_field("status").choices == OrderStatus.choices
    assert Order._meta.get_field("service_type").choices == ServiceType.choices
    assert StatusChange._meta.get_field("source").choices == StatusSource.choices
    assert Payment._meta.get_field("method").choices == PaymentMethod.choices
    assert Menu._meta.get_field("kind").choices == MenuKind.choices
    assert ScheduleRange._meta.get_field("service_type").choices == ServiceType.choices
    # members are plain strings (what a row holds) with a label for people
    assert OrderStatus.PICKED_UP == "picked_up" and OrderStatus.PICKED_UP.label == "Picked up"
    assert dict(ServiceType.choices)["insitu"] == "In situ (dine-in)"


def test_minor_units_round_half_up_and_refuse_floats():
    from canonical import minor_units

    assert minor_units(Decimal("11.505")) == 1151
    assert minor_units(Decimal("0.10")) == 10
    with pytest.raises(ValueError, match="must not be a float"):
        minor_units(0.1)
