"""Each currency counts in its own minor units (ISO 4217): JPY none, EUR cents, KWD fils."""

from __future__ import annotations

from decimal import Decimal

import pytest

from canonical import Money, exponent, from_minor_units, minor_units


@pytest.mark.parametrize(
    ("currency", "units", "amount"),
    [("JPY", 1250, Decimal("1250")), ("EUR", 1250, Decimal("12.50")), ("KWD", 1250, Decimal("1.250")),
     ("BHD", 5, Decimal("0.005")), ("TND", 12345, Decimal("12.345"))],
)
def test_minor_units_follow_the_currency_exponent(currency, units, amount):
    money = Money.from_minor_units(units, currency)

    assert money.amount == amount
    assert money.to_minor_units() == units
    assert minor_units(amount, currency) == units
    assert from_minor_units(units, currency) == amount


def test_three_decimal_currencies_keep_their_third_place():
    fils = Money(amount=Decimal("1.125"), currency="KWD")

    assert fils.to_cents() == 1125
    assert str(fils) == "1.125 KWD"
    assert str(Money.zero("JPY")) == "0 JPY"
    assert Money.zero("OMR").amount == Decimal("0.000")


def test_yen_have_no_minor_unit():
    assert exponent("JPY") == 0
    assert Money.from_cents(980, "JPY").amount == Decimal("980")
    assert minor_units(Decimal("980.4"), "JPY") == 980


def test_without_a_currency_minor_units_are_hundredths():
    assert minor_units(Decimal("19.995")) == 2000
    assert exponent("EUR") == exponent("USD") == 2


def test_minor_units_refuse_floats_and_non_integers():
    with pytest.raises(ValueError, match="float"):
        minor_units(12.5, "EUR")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="integer"):
        Money.from_minor_units("1250", "EUR")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="integer"):
        Money.from_minor_units(True, "EUR")  # type: ignore[arg-type]
