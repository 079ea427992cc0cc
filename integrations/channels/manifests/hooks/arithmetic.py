"""Hooks any manifest may name for decisions taken from an order's own arithmetic, not from a field.

``vat_placement_from_totals``: a channel that sends the tax but not whether its prices hold it (Uber Eats'
``charges.tax``, "calculated on sub_total") is read by which placement makes its total add up.
"""

from __future__ import annotations

from typing import Any

from canonical import CanonicalOrder


def vat_placement_from_totals(order: CanonicalOrder, payload: Any) -> CanonicalOrder:
    """``prices_include_vat`` from the arithmetic when the mapping left it unknown: inside if the total is the lines
    and fees, on top if it is those plus the VAT; unknown when neither (or both) adds up, never guessed."""
    amounts = order.amounts
    if amounts.prices_include_vat is not None or amounts.vat is None:
        return order
    fits = [placement for placement in (True, False)
            if order.model_copy(update={"amounts": amounts.model_copy(
                update={"prices_include_vat": placement})}).unaccounted() == 0]
    if len(fits) != 1:
        return order
    return order.model_copy(update={"amounts": amounts.model_copy(update={"prices_include_vat": fits[0]})})
