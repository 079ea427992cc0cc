"""Order money: gross lines, VAT per line, base, total — all Decimal, to the cent."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from orders.totals import Totals, compute_totals, money, vat_in_gross
from tests.factories.orders import OptionLineFactory, OrderFactory, OrderLineFactory

D = Decimal


@dataclass
class Line:
    unit_price: Decimal
    quantity: int
    vat_rate: Decimal


@pytest.mark.parametrize(
    ("gross", "rate", "vat"),
    [
        (D("10.00"), D("10"), D("0.91")),  # 10 - 9.0909…
        (D("12.10"), D("21"), D("2.10")),  # exact: 12.10 = 10.00 + 21 %
        (D("1.04"), D("4"), D("0.04")),
        (D("9.00"), D("21"), D("1.56")),  # 1.5619… rounds down
        (D("0.01"), D("100"), D("0.01")),  # exactly half a cent: ROUND_HALF_UP, not banker's rounding
        (D("5.00"), D("0"), D("0.00")),
    ],
)
def test_vat_contained_in_a_gross_amount(gross, rate, vat):
    assert vat_in_gross(gross, rate) == vat


def test_totals_of_several_vat_rates_nested_options_and_quantities():
    lines = [
        Line(D("12.50"), 2, D("10")),  # pizza ×2: 25.00, VAT 2.27
        Line(D("1.50"), 2, D("10")),  #   option extra cheese ×2: 3.00, VAT 0.27
        Line(D("3.00"), 3, D("21")),  # beer ×3: 9.00, VAT 1.56
        Line(D("0.20"), 3, D("21")),  #   option lemon ×3: 0.60, VAT 0.10
        Line(D("1.04"), 1, D("4")),  # bread: 1.04, VAT 0.04
    ]

    totals = compute_totals(lines, delivery_fee=D("2.99"), tip=D("1.50"), discount=D("5.00"))

    assert totals == Totals(subtotal_amount=D("34.40"), vat_amount=D("4.24"), total_amount=D("38.13"))
    assert all(isinstance(v, Decimal) for v in (totals.subtotal_amount, totals.vat_amount, totals.total_amount))


def test_base_plus_vat_is_the_gross_of_the_lines():
    lines = [Line(D("7.35"), 3, D("10")), Line(D("2.49"), 7, D("21")), Line(D("0.99"), 1, D("4"))]

    totals = compute_totals(lines)

    assert totals.subtotal_amount + totals.vat_amount == D("7.35") * 3 + D("2.49") * 7 + D("0.99")
    assert totals.total_amount == totals.subtotal_amount + totals.vat_amount


def test_an_order_without_lines_costs_its_fees_only():
    assert compute_totals([], delivery_fee=D("2.00"), tip=D("1.00"), discount=D("0.50")) == Totals(
        D("0.00"), D("0.00"), D("2.50")
    )


@pytest.mark.parametrize(
    "call",
    [
        lambda: compute_totals([Line(12.5, 1, D("10"))]),  # type: ignore[arg-type]
        lambda: compute_totals([Line(D("12.50"), 1, 10.0)]),  # type: ignore[arg-type]
        lambda: compute_totals([], delivery_fee=2.99),  # type: ignore[arg-type]
        lambda: money(0.1),  # type: ignore[arg-type]
    ],
    ids=["unit_price", "vat_rate", "delivery_fee", "money"],
)
def test_floats_are_refused(call):
    with pytest.raises(TypeError, match="float"):
        call()


@pytest.mark.django_db
def test_line_total_and_line_vat():
    line = OrderLineFactory(unit_price=D("3.00"), quantity=3, vat_rate=D("21.00"))

    assert line.line_total == D("9.00")
    assert line.line_vat == D("1.56")


@pytest.mark.django_db
def test_order_recalculate_totals_sums_every_line_including_options():
    order = OrderFactory(delivery_fee=D("2.99"), tip_amount=D("1.50"), discount_amount=D("5.00"))
    pizza = OrderLineFactory(order=order, unit_price=D("12.50"), quantity=2, vat_rate=D("10"))
    OptionLineFactory(parent=pizza, unit_price=D("1.50"), quantity=2, vat_rate=D("10"))
    beer = OrderLineFactory(order=order, unit_price=D("3.00"), quantity=3, vat_rate=D("21"))
    OptionLineFactory(parent=beer, unit_price=D("0.20"), quantity=3, vat_rate=D("21"))
    OrderLineFactory(order=order, unit_price=D("1.04"), quantity=1, vat_rate=D("4"))

    order.recalculate_totals()
    order.refresh_from_db()

    assert (order.subtotal_amount, order.vat_amount, order.total_amount) == (D("34.40"), D("4.24"), D("38.13"))
    assert order.vat_amount == sum((line.line_vat for line in order.lines.all()), D("0"))


@pytest.mark.django_db
def test_recalculate_totals_without_saving_leaves_the_row_alone():
    order = OrderFactory()
    OrderLineFactory(order=order, unit_price=D("10.00"), vat_rate=D("10"))

    totals = order.recalculate_totals(save=False)
    order.refresh_from_db()

    assert totals.total_amount == D("10.00")
    assert order.total_amount == D("0.00")
