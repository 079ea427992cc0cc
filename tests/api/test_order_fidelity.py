"""The POS reads everything the channel said about an order; unknown is null, amounts in the currency's places."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from canonical import CourierPosition, CourierStage, CourierUpdate, Money, OrderAmounts, OrderLine
from orders.channel_door import ChannelLink, take_channel_status, take_courier_update, take_order
from orders.models import OrderStatus
from tests.orders.fidelity_samples import PLACED, cancelled_by_customer, full_order

pytestmark = pytest.mark.django_db


def taken(pos, canonical=None):
    link = ChannelLink(connection_id=pos.connection.pk, restaurant_id=pos.restaurant.pk)
    order, _ = take_order(link, canonical or full_order(), correlation_id="evt-1", occurred_at=PLACED)
    return order


def read(pos, order) -> dict:
    response = pos.client.get(f"/api/v1/orders/{order.pk}")
    assert response.status_code == 200, response.content
    return response.json()


def test_the_pos_reads_scheduling_estimates_codes_and_requests(pos):
    body = read(pos, taken(pos))

    assert body["scheduled_for"] == "2026-01-16T21:00:00Z"
    assert (body["scheduled_earliest"], body["scheduled_latest"], body["confirm_by"]) == (
        "2026-01-16T20:50:00Z", "2026-01-16T21:10:00Z", "2026-01-16T20:00:00Z")
    assert body["estimates"] == {"ready_at": "2026-01-16T20:45:00Z", "pickup_at": "2026-01-16T20:50:00Z",
                                 "dropoff_at": "2026-01-16T21:05:00Z"}
    assert (body["pickup_code"], body["courier_code"], body["loyalty_code"]) == ("433", "C-77", "LOYAL-9")
    assert (body["cutlery_requested"], body["disposables_requested"]) == (False, True)
    assert (body["notes"], body["allergy_notes"]) == ("no rush", "severe peanut allergy")
    assert body["delivery_address"]["unit"] == "3B"
    assert "channel_payload" not in body  # the raw order is for support, in admin


def test_unknown_vat_is_null_and_the_fees_are_itemised(pos):
    body = read(pos, taken(pos))

    assert body["vat_amount"] is None and body["prices_include_vat"] is None
    assert (body["delivery_fee"], body["service_fee"], body["bag_fee"], body["small_order_surcharge"]) == (
        "3.99", "0.99", "0.20", "1.00")
    assert body["extra_fees"] == [{"name": "pick_and_pack", "amount": "0.30"}]
    assert (body["tip_amount"], body["discount_amount"], body["total_amount"]) == ("2.00", "1.48", "34.00")
    assert body["payments"] == [{"method": "cash", "amount": "34.00", "prepaid": False, "channel_method": "CASH",
                                 "cash_to_collect": "34.00", "cash_tendered": "50.00"}]
    assert body["cancellation"] is None and body["courier"] is None


def test_lines_carry_removals_allergies_and_an_unknown_vat_rate_as_null(pos):
    burger = read(pos, taken(pos))["lines"][0]

    assert burger["removed"] == [{"name": "Pickles", "sku": "pickles", "quantity": 1}]
    assert (burger["notes"], burger["allergy_notes"], burger["vat_rate"]) == ("medium well", "clean grill", None)
    assert burger["unit_price"] == "9.00"
    assert burger["options"][0]["group"] == "Choose a side"


def test_the_pos_reads_who_cancelled_and_where_the_courier_is(pos):
    order = taken(pos)
    take_channel_status(order, OrderStatus.CANCELLED, channel_status="CANCELLED", cancellation=cancelled_by_customer())
    take_courier_update(order, CourierUpdate(stage=CourierStage.ARRIVING, name="Ana", phone_code="482 17",
                                             position=CourierPosition(lat="41.4", lng="2.19")),
                        occurred_at=PLACED + dt.timedelta(minutes=3))

    body = read(pos, order)

    assert body["cancellation"] == {"by": "customer", "reason_code": "USER_ERROR", "reason": "customer has cancelled",
                                    "cancelled_at": "2026-01-16T18:05:00Z", "products_paid": True,
                                    "payment_strategy": "PAY_PRODUCTS"}
    courier = body["courier"]
    assert (courier["stage"], courier["name"], courier["phone_code"]) == ("arriving", "Ana", "482 17")
    assert (courier["lat"], courier["lng"], courier["position_at"]) == ("41.400000", "2.190000", "2026-01-16T18:03:00Z")


@pytest.mark.parametrize(("currency", "price", "shown"), [("KWD", "2.125", "2.125"), ("JPY", "980", "980"),
                                                         ("EUR", "9.5", "9.50")])
def test_amounts_are_shown_in_the_currencys_own_places(pos, currency, price, shown):
    money = Money(amount=Decimal(price), currency=currency)
    line = OrderLine(name="Dish", quantity=1, unit_price=money)
    canonical = full_order(currency=currency, payments=(), lines=(line,),
                           amounts=OrderAmounts(subtotal=money, total=money, vat=Money.zero(currency)))

    body = read(pos, taken(pos, canonical))

    assert (body["total_amount"], body["lines"][0]["unit_price"]) == (shown, shown)
    assert body["vat_amount"] == str(Money.zero(currency).amount)
