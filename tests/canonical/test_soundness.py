"""The contract kit's soundness check: lines + fees − discount (+ VAT on top) = the channel's total."""

from __future__ import annotations

import pytest

from canonical import OrderAmounts
from integrations.channels.testkit import ChannelModuleContract

from .test_orders import eur, order

sound = ChannelModuleContract.assert_order_is_sound


def test_an_order_whose_fees_explain_the_total_is_sound():
    sound(order(amounts=OrderAmounts(subtotal=eur("22.00"), total=eur("25.49"), delivery_fee=eur("3.99"),
                                     bag_fee=eur("0.50"), discount=eur("1.00"))), "fees")
    sound(order(amounts=OrderAmounts(subtotal=eur("22.00"), vat=eur("1.76"), prices_include_vat=False,
                                     total=eur("23.76"))), "tax on top")


def test_options_counted_twice_make_an_order_unsound():
    # Uber's unit_price already holds the options: 11.00 given as the burger's own price, plus its 2.00 fries again.
    burger = order().lines[0].model_copy(update={"unit_price": eur("11.00")})

    with pytest.raises(AssertionError, match=r"-4\.00 away from lines 26\.00"):
        sound(order(lines=(burger,)), "doubled")


def test_a_bag_fee_missing_from_the_breakdown_makes_an_order_unsound():
    with pytest.raises(AssertionError, match=r"0\.50 away"):
        sound(order(amounts=OrderAmounts(subtotal=eur("22.00"), total=eur("22.50"))), "missing bag fee")


def test_unknown_vat_added_on_top_cannot_be_called_sound():
    with pytest.raises(AssertionError, match="VAT is added on top"):
        sound(order(amounts=OrderAmounts(subtotal=eur("22.00"), prices_include_vat=False, total=eur("23.76"))), "x")
