"""Money: an exact Decimal amount and an ISO 4217 currency. Never a float.

Each currency counts in its own minor units (ISO 4217's exponent): a euro has
100 cents, a yen has no minor unit, a Kuwaiti dinar has 1,000 fils. Channels
that send integer amounts send them in these units; ``minor_units`` and
``from_minor_units`` convert with the currency's exponent.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, field_validator

CENT = Decimal("0.01")

DEFAULT_EXPONENT = 2
"""ISO 4217: most currencies have two decimal places (cents)."""

EXPONENTS: dict[str, int] = {
    # no minor unit
    **dict.fromkeys(
        ("BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV",
         "XAF", "XOF", "XPF"),
        0,
    ),
    # three decimal places (1 dinar = 1,000 fils / millimes / baisa)
    **dict.fromkeys(("BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"), 3),
    # four decimal places (units of account)
    **dict.fromkeys(("CLF", "UYW"), 4),
}
"""ISO 4217 exponents that differ from two (the standard's list A, 2024); every other code has two."""


def exponent(currency: str) -> int:
    """How many decimal places ``currency`` counts in (ISO 4217): JPY 0, EUR 2, KWD 3."""
    return EXPONENTS.get(currency.upper(), DEFAULT_EXPONENT)


def smallest_unit(currency: str) -> Decimal:
    """One minor unit of ``currency`` as a Decimal quantum: 1 for JPY, 0.01 for EUR, 0.001 for KWD."""
    return Decimal(1).scaleb(-exponent(currency))


def _no_float(value: Any) -> Any:
    if isinstance(value, float):
        raise ValueError("money must not be a float; pass a Decimal, an int or a string")
    return value


def _no_float_decimal(value: Any) -> Any:
    """Decimals such as VAT rates and coordinates: floats are converted through str, exactly as written."""
    if isinstance(value, float):
        return Decimal(repr(value))
    return value


ExactDecimal = Annotated[Decimal, BeforeValidator(_no_float)]
LenientDecimal = Annotated[Decimal, BeforeValidator(_no_float_decimal)]


def minor_units(amount: Decimal, currency: str | None = None) -> int:
    """An exact amount in the currency's minor units, rounded half up: what integer-counting channels send and take.

    ``currency`` gives the exponent (12.50 EUR → 1250, 1250 JPY → 1250, 1.125 KWD → 1125);
    without one the amount is counted in hundredths (cents), as for most currencies.
    """
    if isinstance(amount, float):
        raise ValueError("money must not be a float; pass a Decimal, an int or a string")
    places = DEFAULT_EXPONENT if currency is None else exponent(currency)
    return int(Decimal(amount).scaleb(places).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def from_minor_units(units: int, currency: str) -> Decimal:
    """The inverse of ``minor_units``: 1250 EUR-cents → 12.50, 1250 JPY → 1250, 1125 KWD-fils → 1.125."""
    if isinstance(units, bool) or not isinstance(units, int):
        raise ValueError(f"minor units must be an integer, got {units!r}")
    return Decimal(units).scaleb(-exponent(currency)).quantize(smallest_unit(currency))


class Money(BaseModel):
    model_config = ConfigDict(frozen=True)

    amount: ExactDecimal
    currency: str

    @field_validator("currency")
    @classmethod
    def _iso_currency(cls, value: str) -> str:
        if len(value) != 3 or not value.isalpha():
            raise ValueError(f"currency must be an ISO 4217 code like EUR, got {value!r}")
        return value.upper()

    @classmethod
    def from_minor_units(cls, units: int, currency: str) -> Money:
        """Channels that count in minor units (integers), each currency with its own exponent (ISO 4217)."""
        return cls(amount=from_minor_units(units, currency), currency=currency)

    @classmethod
    def from_cents(cls, cents: int, currency: str) -> Money:
        """Channels that count in minor units: "cents" for a euro, yen for a yen, fils for a dinar."""
        return cls.from_minor_units(cents, currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(amount=Decimal(0).quantize(smallest_unit(currency)), currency=currency)

    def to_minor_units(self) -> int:
        return minor_units(self.amount, self.currency)

    def to_cents(self) -> int:
        """Minor units in the currency's own exponent (an alias kept for cent-counting callers)."""
        return self.to_minor_units()

    def __add__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(amount=self.amount + other.amount, currency=self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(amount=self.amount - other.amount, currency=self.currency)

    def times(self, quantity: int) -> Money:
        return Money(amount=self.amount * quantity, currency=self.currency)

    def _same_currency(self, other: Money) -> None:
        if other.currency != self.currency:
            raise ValueError(f"cannot combine {self.currency} and {other.currency}")

    def __str__(self) -> str:
        return f"{self.amount.quantize(smallest_unit(self.currency))} {self.currency}"
