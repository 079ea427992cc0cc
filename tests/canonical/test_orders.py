"""The canonical order carries what real channels send, each field optional, none guessed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from pydantic import ValidationError

from canonical import (
    Cancellation,
    CancelledBy,
    CanonicalOrder,
    Estimates,
    Fee,
    Money,
    OrderAmounts,
    OrderLine,
    Payment,
    PaymentMethod,
    RemovedIngredient,
    ServiceType,
)
from integrations.channels.payloads import reading, tracked

PLACED = datetime(2026, 1, 16, 18, 0, tzinfo=UTC)


def eur(amount: str) -> Money:
    return Money(amount=Decimal(amount), currency="EUR")


def order(**fields) -> CanonicalOrder:
    base = {
        "channel_order_id": "A-1",
        "service_type": ServiceType.DELIVERY,
        "placed_at": PLACED,
        "currency": "EUR",
        "lines": (
            OrderLine(name="Burger", quantity=2, unit_price=eur("9.00"),
                      options=(OrderLine(name="Fries", quantity=1, unit_price=eur("2.00")),)),
        ),
        "amounts": OrderAmounts(subtotal=eur("22.00"), total=eur("22.00")),
    }
    return CanonicalOrder(**{**base, **fields})


def test_a_minimal_order_leaves_every_new_field_at_not_said():
    bare = order()

    assert bare.amounts.vat is None
    assert bare.lines[0].vat_rate is None and bare.lines[0].vat_total() is None
    assert (bare.cutlery_requested, bare.disposables_requested, bare.cancellation) == (None, None, None)
    assert bare.estimates == Estimates() and bare.pickup_code == "" and not bare.is_scheduled
    assert bare.amounts.fees() == ()


def test_the_fee_breakdown_explains_the_channels_total():
    # lines 2 × (9.00 + 2.00) = 22.00; + delivery 2.50 + service 0.99 + bag 0.20 + small order 1.00
    # + pick and pack 0.30 + tip 2.00 − discount 3.00 = 25.99
    amounts = OrderAmounts(
        subtotal=eur("22.00"), total=eur("25.99"), delivery_fee=eur("2.50"), service_fee=eur("0.99"),
        bag_fee=eur("0.20"), small_order_surcharge=eur("1.00"),
        extra_fees=(Fee(name="pick_and_pack", amount=eur("0.30")),),
        tip=eur("2.00"), discount=eur("3.00"),
    )

    sound = order(amounts=amounts)

    assert sound.lines_total() == Decimal("22.00")
    assert amounts.fees_total() == Decimal("6.99")
    assert [fee.name for fee in amounts.fees()] == ["delivery", "service", "bag", "small_order", "tip", "pick_and_pack"]
    assert sound.unaccounted() == Decimal("0.00")
    off = order(amounts=amounts.model_copy(update={"total": eur("27.99")}))
    assert off.unaccounted() == Decimal("2.00")  # not rejected: the contract kit checks it


def test_vat_added_on_top_is_part_of_the_total_and_unknown_vat_on_top_cannot_be_checked():
    on_top = order(amounts=OrderAmounts(subtotal=eur("22.00"), vat=eur("1.76"), prices_include_vat=False,
                                        total=eur("23.76")))
    unknown = order(amounts=OrderAmounts(subtotal=eur("22.00"), prices_include_vat=False, total=eur("23.76")))
    unsaid = order(amounts=OrderAmounts(subtotal=eur("22.00"), vat=eur("1.76"), prices_include_vat=None,
                                        total=eur("22.00")))

    assert on_top.unaccounted() == Decimal("0.00")
    assert unknown.unaccounted() is None
    assert unsaid.unaccounted() == Decimal("0.00")  # the reading that adds up: VAT inside the prices


def test_unknown_vat_is_none_never_zero_and_known_vat_is_kept():
    known = order(amounts=OrderAmounts(subtotal=eur("20.00"), vat=eur("2.00"), total=eur("22.00")))

    assert order().amounts.vat is None
    assert known.amounts.vat == eur("2.00")
    line = OrderLine(name="Beer", quantity=1, unit_price=eur("3.30"), vat_rate=10)
    assert line.vat_total() == Decimal("0.30")


def test_lines_carry_removals_remarks_and_allergies_apart():
    line = OrderLine(
        name="Caesar salad", quantity=1, unit_price=eur("8.00"), notes="dressing apart",
        allergy_notes="severe peanut allergy", removed=(RemovedIngredient(name="Croutons", sku="croutons"),),
    )

    assert line.removed[0].name == "Croutons" and line.notes == "dressing apart"
    assert line.allergy_notes == "severe peanut allergy"
    with pytest.raises(ValidationError):
        RemovedIngredient(name="")


def test_a_scheduled_order_has_a_target_a_window_and_a_confirm_by():
    target = PLACED + timedelta(hours=3)
    scheduled = order(scheduled_for=target, scheduled_earliest=target - timedelta(minutes=10),
                      scheduled_latest=target + timedelta(minutes=10), confirm_by=PLACED + timedelta(hours=2))

    assert scheduled.is_scheduled and scheduled.confirm_by == PLACED + timedelta(hours=2)
    assert order(scheduled_earliest=target).is_scheduled
    with pytest.raises(ValidationError, match="start before it ends"):
        order(scheduled_earliest=target, scheduled_latest=target - timedelta(minutes=1))
    with pytest.raises(ValidationError, match="outside the scheduled window"):
        order(scheduled_for=target + timedelta(hours=1), scheduled_latest=target)


def test_estimates_codes_and_requests_stand_each_on_its_own():
    ready, pickup, dropoff = (PLACED + timedelta(minutes=m) for m in (20, 25, 45))

    full = order(estimates=Estimates(ready_at=ready, pickup_at=pickup, dropoff_at=dropoff), pickup_code="433",
                 courier_code="C-77", cutlery_requested=False, disposables_requested=True, allergy_notes="gluten")

    assert (full.estimates.ready_at, full.estimates.pickup_at, full.estimates.dropoff_at) == (ready, pickup, dropoff)
    assert (full.pickup_code, full.courier_code) == ("433", "C-77")
    assert full.cutlery_requested is False and full.disposables_requested is True
    assert full.allergy_notes == "gluten" and full.notes == ""


def test_cancellation_says_who_and_why_and_payment_says_what_to_collect():
    cancelled = order(
        cancellation=Cancellation(by=CancelledBy.CUSTOMER, reason_code="USER_ERROR", reason="customer has cancelled",
                                  products_paid=True, payment_strategy="PAY_PRODUCTS"),
        payments=(Payment(method=PaymentMethod.CASH, amount=eur("22.00"), channel_method="CASH",
                          cash_to_collect=eur("22.00"), cash_tendered=eur("50.00")),),
    )

    assert cancelled.cancellation.by == CancelledBy.CUSTOMER and cancelled.cancellation.products_paid is True
    assert cancelled.payments[0].prepaid is None  # not said
    assert Cancellation().by == CancelledBy.UNKNOWN


def test_every_amount_is_in_the_orders_currency():
    with pytest.raises(ValidationError, match="amount in USD"):
        order(amounts=OrderAmounts(subtotal=eur("22.00"), total=eur("22.00"),
                                   bag_fee=Money(amount=Decimal("0.10"), currency="USD")))
    with pytest.raises(ValidationError, match="amount in GBP"):
        order(payments=(Payment(method=PaymentMethod.CASH, amount=eur("22.00"),
                                cash_to_collect=Money(amount=Decimal("1"), currency="GBP")),))


def test_three_decimal_currency_orders_add_up_to_the_fils():
    kwd = lambda a: Money(amount=Decimal(a), currency="KWD")  # noqa: E731
    dinars = order(currency="KWD", lines=(OrderLine(name="Machboos", quantity=1, unit_price=kwd("2.125")),),
                   amounts=OrderAmounts(subtotal=kwd("2.125"), total=kwd("2.625"), delivery_fee=kwd("0.500")))

    assert dinars.unaccounted() == Decimal("0.000")


def test_the_channels_raw_order_rides_along_without_cluttering_the_repr():
    raw = {"order_id": "A-1", "products": [{"id": "burger"}]}

    carried = order(channel_payload=raw)

    assert carried.channel_payload == raw
    assert "products" not in repr(carried)


def test_keeping_the_raw_order_is_not_reading_it():
    with reading() as log:
        payload = tracked({"order_id": "A-1", "products": [{"id": "burger", "price": 900}], "loyalty_card": "X"})
        carried = order(channel_payload=payload)

    assert log.paths == set()  # the kit still sees every field the translation skipped
    assert carried.channel_payload == {"order_id": "A-1", "products": [{"id": "burger", "price": 900}],
                                       "loyalty_card": "X"}
    assert type(carried.channel_payload) is dict and type(carried.channel_payload["products"][0]) is dict
