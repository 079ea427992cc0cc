"""Money: an exact Decimal amount and an ISO 4217 currency. Never a float."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, field_validator

CENT = Decimal("0.01")


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


def minor_units(amount: Decimal) -> int:
    """An exact amount in minor units (cents), rounded half up: what cent-counting channels send and take."""
    if isinstance(amount, float):
        raise ValueError("money must not be a float; pass a Decimal, an int or a string")
    return int((Decimal(amount) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


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
    def from_cents(cls, cents: int, currency: str) -> Money:
        """Channels that count in minor units (integer cents)."""
        if isinstance(cents, bool) or not isinstance(cents, int):
            raise ValueError(f"cents must be an integer, got {cents!r}")
        return cls(amount=(Decimal(cents) / 100).quantize(CENT), currency=currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(amount=Decimal("0.00"), currency=currency)

    def to_cents(self) -> int:
        return minor_units(self.amount)

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
        return f"{self.amount.quantize(CENT)} {self.currency}"
