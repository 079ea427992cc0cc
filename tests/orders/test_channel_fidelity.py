"""What a channel sends is stored on the order, field by field, and later news refreshes what changes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from canonical import CourierPosition, CourierStage, CourierUpdate, Estimates, Money, OrderAmounts, OrderLine
from orders.channel_door import ChannelLink, take_channel_status, take_courier_update, take_order
from orders.models import CourierReport, Order, OrderStatus
from tests.factories.integrations import ConnectionFactory

from .fidelity_samples import PLACED, RAW, cancelled_by_customer, full_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def link() -> ChannelLink:
    connection = ConnectionFactory()
    return ChannelLink(connection_id=connection.pk, restaurant_id=connection.restaurant_id)


def stored(link: ChannelLink, canonical=None) -> Order:
    order, created = take_order(link, canonical or full_order(), correlation_id="evt-1", occurred_at=PLACED)
    assert created
    order.refresh_from_db()
    return order


def test_scheduling_estimates_codes_and_requests_are_stored(link):
    order = stored(link)

    assert order.scheduled_for == PLACED + dt.timedelta(hours=3) and order.is_scheduled
    assert (order.scheduled_earliest, order.scheduled_latest, order.confirm_by) == (
        PLACED + dt.timedelta(hours=2, minutes=50), PLACED + dt.timedelta(hours=3, minutes=10),
        PLACED + dt.timedelta(hours=2))
    assert (order.estimated_ready_at, order.estimated_pickup_at, order.estimated_dropoff_at) == (
        PLACED + dt.timedelta(hours=2, minutes=45), PLACED + dt.timedelta(hours=2, minutes=50),
        PLACED + dt.timedelta(hours=3, minutes=5))
    assert (order.pickup_code, order.courier_code, order.loyalty_code) == ("433", "C-77", "LOYAL-9")
    assert (order.cutlery_requested, order.disposables_requested) == (False, True)
    assert (order.notes, order.allergy_notes) == ("no rush", "severe peanut allergy")
    assert (order.address_street, order.address_unit) == ("Carrer de Pallars 190", "3B")
    assert order.channel_payload == RAW


def test_the_fee_breakdown_is_stored_and_unknown_vat_stays_unknown(link):
    order = stored(link)

    assert order.vat_amount is None and not order.vat_known and order.prices_include_vat is None
    assert (order.delivery_fee, order.service_fee, order.bag_fee, order.small_order_surcharge) == (
        Decimal("3.99"), Decimal("0.99"), Decimal("0.20"), Decimal("1.00"))
    assert order.extra_fees == [{"name": "pick_and_pack", "amount": "0.30"}]
    assert (order.tip_amount, order.discount_amount, order.total_amount) == (
        Decimal("2.00"), Decimal("1.48"), Decimal("34.00"))
    payment = order.payments.get()
    assert (payment.prepaid, payment.channel_method, payment.cash_to_collect, payment.cash_tendered) == (
        False, "CASH", Decimal("34.00"), Decimal("50.00"))


def test_a_fee_the_channel_does_not_send_is_empty_not_zero(link):
    bare = full_order(amounts=OrderAmounts(subtotal=Money(amount="27.00", currency="EUR"),
                                           total=Money(amount="27.00", currency="EUR")), payments=())

    order = stored(link, bare)

    assert (order.service_fee, order.bag_fee, order.small_order_surcharge, order.extra_fees) == (None, None, None, [])


def test_lines_keep_removals_remarks_allergies_and_unknown_vat_rates(link):
    order = stored(link)

    burger, fries, salad = order.lines.order_by("position")
    assert burger.removed == [{"name": "Pickles", "sku": "pickles", "quantity": 1}]
    assert burger.removed_names == "no Pickles"
    assert (burger.notes, burger.allergy_notes, burger.channel_line_id) == ("medium well", "clean grill", "i1")
    assert (fries.parent_id, fries.group) == (burger.pk, "Choose a side")
    assert salad.removed == [{"name": "Croutons"}] and salad.quantity == 2
    assert burger.vat_rate is None and burger.line_vat is None


def test_three_decimal_currencies_keep_their_fils(link):
    def kwd(amount: str) -> Money:
        return Money(amount=Decimal(amount), currency="KWD")

    dinars = full_order(
        currency="KWD", payments=(),
        lines=(OrderLine(name="Machboos", quantity=1, unit_price=kwd("2.125")),),
        amounts=OrderAmounts(subtotal=kwd("2.125"), total=kwd("2.625"), delivery_fee=kwd("0.500")),
    )

    order = stored(link, dinars)

    assert order.lines.get().unit_price == Decimal("2.125")
    assert (order.total_amount, order.delivery_fee) == (Decimal("2.625"), Decimal("0.500"))


def test_news_refreshes_the_raw_order_estimates_and_codes_and_keeps_what_it_does_not_say(link):
    order = stored(link)
    later = PLACED + dt.timedelta(hours=2, minutes=55)

    take_order(link, full_order(channel_payload={"order_id": "FULL-1", "version": 2}, pickup_code="",
                                estimates=Estimates(pickup_at=later), customer={"name": "Someone else"}),
               correlation_id="evt-2")

    order.refresh_from_db()
    assert order.channel_payload == {"order_id": "FULL-1", "version": 2}
    assert order.estimated_pickup_at == later
    assert order.estimated_ready_at == PLACED + dt.timedelta(hours=2, minutes=45)  # not said again: kept
    assert order.pickup_code == "433"
    assert order.customer_name == "Alex M"  # content stays what the channel sent first


def test_news_without_a_raw_order_keeps_the_one_we_have(link):
    order = stored(link)

    take_order(link, full_order(channel_payload=None), correlation_id="evt-2")

    order.refresh_from_db()
    assert order.channel_payload == RAW


def test_a_cancellation_says_who_and_why_on_the_order(link):
    order = stored(link)

    take_channel_status(order, OrderStatus.CANCELLED, channel_status="CANCELLED", correlation_id="evt-3",
                        cancellation=cancelled_by_customer())

    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert (order.cancelled_by, order.cancel_reason_code, order.cancel_reason) == (
        "customer", "USER_ERROR", "customer has cancelled")
    assert (order.cancel_products_paid, order.cancel_payment_strategy) == (True, "PAY_PRODUCTS")
    assert order.cancelled_at == PLACED + dt.timedelta(minutes=5)


def test_a_cancelled_snapshot_of_a_new_order_carries_its_cancellation(link):
    order = stored(link, full_order(cancellation=cancelled_by_customer()))

    assert order.cancelled_by == "customer"


def courier(stage: CourierStage, **fields) -> CourierUpdate:
    return CourierUpdate(stage=stage, **fields)


def test_a_courier_update_fills_the_delivery_and_keeps_the_report(link):
    order = stored(link)
    at = PLACED + dt.timedelta(hours=2, minutes=40)

    delivery = take_courier_update(
        order,
        courier(CourierStage.ARRIVING, channel_stage="RIDER_EN_ROUTE", name="Ana", phone="+34600111222",
                phone_code="482 17", vehicle="bike", pickup_eta=at + dt.timedelta(minutes=4),
                position=CourierPosition(lat="41.4000001", lng="2.19")),
        occurred_at=at, correlation_id="evt-4",
    )

    delivery.refresh_from_db()
    assert (delivery.stage, delivery.courier_status, delivery.driver_name, delivery.phone_code) == (
        "arriving", "RIDER_EN_ROUTE", "Ana", "482 17")
    assert (delivery.position_lat, delivery.position_lng, delivery.position_at) == (
        Decimal("41.400000"), Decimal("2.190000"), at)
    assert delivery.pickup_eta == at + dt.timedelta(minutes=4)
    report = CourierReport.objects.get()
    assert (report.delivery, report.stage, report.applied, report.correlation_id) == (
        delivery, "arriving", True, "evt-4")
    order.refresh_from_db()
    assert order.last_channel_update_at == at


def test_a_courier_update_taken_twice_leaves_one_report(link):
    order = stored(link)

    for _ in range(2):
        take_courier_update(order, courier(CourierStage.AT_RESTAURANT, name="Ana"), correlation_id="evt-5")

    assert CourierReport.objects.count() == 1 and order.deliveries.count() == 1


def test_an_older_courier_update_is_kept_as_history_and_changes_nothing(link):
    order = stored(link)
    at = PLACED + dt.timedelta(hours=2)
    take_courier_update(order, courier(CourierStage.PICKED_UP, name="Ana"), occurred_at=at, correlation_id="a")

    delivery = take_courier_update(order, courier(CourierStage.ARRIVING), occurred_at=at - dt.timedelta(minutes=3),
                                   correlation_id="b")

    delivery.refresh_from_db()
    assert (delivery.stage, delivery.picked_up_at) == ("picked_up", at)
    assert list(CourierReport.objects.values_list("stage", "applied")) == [("picked_up", True), ("arriving", False)]


def test_a_replaced_courier_is_a_new_delivery_and_what_is_not_said_again_is_kept(link):
    order = stored(link)
    take_courier_update(order, courier(CourierStage.ASSIGNED, name="Ana", phone="+34600111222"), correlation_id="a")
    take_courier_update(order, courier(CourierStage.ARRIVING), correlation_id="b")

    take_courier_update(order, courier(CourierStage.ASSIGNED, name="Bruno"), correlation_id="c")

    first, second = order.deliveries.order_by("id")
    assert (first.driver_name, first.driver_phone, first.stage) == ("Ana", "+34600111222", "arriving")
    assert (second.driver_name, second.stage) == ("Bruno", "assigned")
