"""An order's money, computed from its lines.

Conventions (the canonical ones; channel modules convert to them):

- Money is ``Decimal`` with two places, never float. A float passed here is a
  bug upstream and raises ``TypeError`` instead of being rounded silently.
- A line's ``unit_price`` is **gross**: VAT included, as the customer saw it.
- A line's gross is ``unit_price × quantity``. Option lines are lines of their
  own (children of a product line) with their own price, quantity and VAT
  rate; their quantity is the total in the order, not per parent unit, so
  every line's money stands on its own.
- A line's VAT is ``gross − gross / (1 + rate/100)``, quantized to 0.01 with
  ROUND_HALF_UP, per line (not per unit), the way a receipt prints it.
- The order's ``subtotal`` (base, without VAT) is Σ gross − Σ VAT over every
  line, options included; ``vat`` is Σ line VAT.
- ``total`` is Σ gross + delivery fee + tip − discount. The fee, tip and
  discount are outside the VAT breakdown: channels report them as separate
  amounts and most invoice their fee themselves.
- A line whose VAT rate is unknown (None: the channel did not say) makes the
  order's VAT unknown (None), never 0.00; the subtotal is then the lines' gross.

An order from a channel keeps the channel's own amounts (``orders.intake``);
these rules compute the money of orders we build ourselves.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


class PricedLine(Protocol):
    """Anything with a gross unit price, a quantity and a VAT rate (an ``OrderLine`` or a plain object)."""

    unit_price: Decimal
    quantity: int
    vat_rate: Decimal | None


@dataclass(frozen=True)
class Totals:
    subtotal_amount: Decimal  # base, without VAT (the gross when VAT is unknown)
    vat_amount: Decimal | None  # None: a line's rate is unknown
    total_amount: Decimal


def money(value: Decimal | int | str) -> Decimal:
    """``value`` as a Decimal with two places; floats are refused because they already lost cents."""
    if isinstance(value, float):
        raise TypeError(f"money must be Decimal, not float ({value!r})")
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def line_gross(unit_price: Decimal, quantity: int) -> Decimal:
    """What the customer pays for a line, VAT included."""
    return money(money(unit_price) * quantity)


def vat_in_gross(gross: Decimal, rate: Decimal) -> Decimal:
    """The VAT contained in a gross amount at ``rate`` percent, to the cent (ROUND_HALF_UP)."""
    if isinstance(rate, float):
        raise TypeError(f"VAT rate must be Decimal, not float ({rate!r})")
    gross = money(gross)
    base = gross / (1 + Decimal(rate) / 100)
    return (gross - base).quantize(CENT, rounding=ROUND_HALF_UP)


def compute_totals(
    lines: Iterable[PricedLine],
    delivery_fee: Decimal = ZERO,
    tip: Decimal = ZERO,
    discount: Decimal = ZERO,
) -> Totals:
    """Subtotal (base), VAT and total of an order from all its lines, option lines included."""
    gross = ZERO
    vat: Decimal | None = ZERO
    for line in lines:
        line_amount = line_gross(line.unit_price, line.quantity)
        gross += line_amount
        if line.vat_rate is None:
            vat = None
        elif vat is not None:
            vat += vat_in_gross(line_amount, line.vat_rate)
    return Totals(
        subtotal_amount=gross - (vat or ZERO),
        vat_amount=vat,
        total_amount=gross + money(delivery_fee) + money(tip) - money(discount),
    )
