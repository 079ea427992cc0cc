"""Basket arithmetic, kept in one place so totals are consistent everywhere.

Definitions (the platform module relies on them):
- ``unit_cents`` is gross (VAT included); an extra's ``unit_cents`` is per unit
  of its parent line, so an extra costs ``extra.qty * extra.unit_cents * parent.qty``.
- ``goods_cents`` = sum of line gross + sum of extra gross.
- ``vat_cents`` = sum over every line and every extra, each computed on its own
  gross as ``gross - gross / (1 + vat_pct/100)`` rounded half up to a cent.
- ``grand_total_cents`` = goods + delivery_fee + tip - discount.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any


def vat_of(gross_cents: int, vat_pct: float) -> int:
    gross = Decimal(gross_cents)
    rate = Decimal(str(vat_pct))
    vat = gross * rate / (Decimal(100) + rate)
    return int(vat.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def line_amounts(line: dict[str, Any]) -> tuple[int, int]:
    """(gross, vat) of one basket line including its extras."""
    gross = line["qty"] * line["unit_cents"]
    vat = vat_of(gross, line["vat_pct"])
    for extra in line.get("extras") or []:
        extra_gross = extra["qty"] * extra["unit_cents"] * line["qty"]
        gross += extra_gross
        vat += vat_of(extra_gross, extra["vat_pct"])
    return gross, vat


def totals(basket: list[dict[str, Any]], *, delivery_fee_cents: int, tip_cents: int, discount_cents: int,
           currency: str) -> dict[str, Any]:
    goods = vat = 0
    for line in basket:
        g, v = line_amounts(line)
        goods += g
        vat += v
    return {"goods_cents": goods, "vat_cents": vat, "delivery_fee_cents": delivery_fee_cents, "tip_cents": tip_cents,
            "discount_cents": discount_cents,
            "grand_total_cents": goods + delivery_fee_cents + tip_cents - discount_cents, "currency": currency}


def format_cents(cents: int | None, currency: str = "") -> str:
    if cents is None:
        return ""
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100}.{cents % 100:02d}" + (f" {currency}" if currency else "")
