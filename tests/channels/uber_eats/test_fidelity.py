"""Issue 13, Uber Eats: each defect a user found, on payloads in Uber's documented shapes (the module's corpus).

Each test failed on the module as it was before the fix (address_1/city, scheduled as ASAP, options counted
twice, sub_total − tax, total_fee as delivery fee, removals/allergies/packaging dropped, SKU from external_data,
the ready estimate standing in for the courier's, a 5-minute replay window) and passes on the fixed one. The
acknowledgement (200, empty) and the thin-fetch retries are tests/inbound/test_acknowledgement.py and
test_fetch_retry.py.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from pydantic import SecretStr
from requests.structures import CaseInsensitiveDict

from canonical import CancelledBy, CanonicalOrder, InboundEvent, OrderStatus, PaymentMethod
from integrations.channels.context import ConnectionInfo
from integrations.channels.corpus import CorpusCase, corpus_directory, load_corpus
from integrations.channels.errors import MalformedWebhook
from integrations.channels.recording import CannedResponse, RecordingTransport
from integrations.channels.testkit import ChannelModuleContract
from integrations.channels.uber_eats.module import Module, UberEatsCredentials

from . import samples as s

CORPUS_SECRET = "sinqro-corpus-test-client-secret"


def corpus(name: str) -> CorpusCase:
    return next(case for case in load_corpus(corpus_directory(Module)) if case.name == name)


def connection(secret: str = CORPUS_SECRET) -> ConnectionInfo:
    return ConnectionInfo(
        connection_id=1, store_id="c0ffee00-5a1e-4b0b-9c1a-5e0000000001", environment="production", base_url="",
        currency="USD",
        credentials=UberEatsCredentials(client_id="sinqro-corpus-client", client_secret=SecretStr(secret)),
    )


def payload(name: str) -> dict[str, Any]:
    return copy.deepcopy(corpus(name).payload)


def fetched(order: dict[str, Any]) -> CanonicalOrder:
    """The module's order for a GET /v2/eats/order/{id} answering ``order``."""
    transport = RecordingTransport(respond=lambda request: CannedResponse(200, order))
    return Module().client(connection(), transport).get_order(order["id"])


def webhook(name: str, *, received_after: timedelta = timedelta(seconds=2)) -> list[InboundEvent]:
    """The corpus webhook ``name``, verified and parsed as the platform does, received ``received_after`` it."""
    case = corpus(name)
    headers = CaseInsensitiveDict(case.headers)
    now = datetime.fromtimestamp(case.payload["event_time"], UTC) + received_after
    Module().verify_webhook(connection(), case.body, headers, now)
    return Module().parse_webhook(connection(), case.body, headers)


# --- own-fleet address --------------------------------------------------------------------------


def test_an_own_courier_order_keeps_the_street_address_and_unit_uber_sends():
    # given an own-fleet order whose Location has street_address and unit_number (no city/postcode in v2)
    order = payload("get_order_own_courier")

    # when it is fetched
    address = fetched(order).delivery_address

    # then the whole address line, the flat, the position and the courier's notes are kept
    assert address.street == "1200 W Madison St, Chicago, IL 60607, USA"
    assert address.unit == "Apt 4B"
    assert (address.lat, address.lng) == (Decimal("41.8817"), Decimal("-87.6569"))
    assert address.instructions == "Buzzer 4B; leave with the doorman if no answer"


# --- scheduled ---------------------------------------------------------------------------------


def test_a_scheduled_order_is_scheduled_when_fetched_for_its_scheduled_notification():
    # given the orders.scheduled.notification webhook and the order it announces (v2 has no target time)
    announced = webhook("webhook_orders_scheduled_notification")[0]
    order = payload("get_order_scheduled")
    transport = RecordingTransport(respond=lambda request: CannedResponse(200, order))

    # when the platform fetches the order for that event
    scheduled = Module().client(connection(), transport).get_announced_order(announced)

    # then it is scheduled, its window opening at Uber's predicted ready time; no target time is invented
    assert scheduled.is_scheduled
    assert scheduled.scheduled_earliest == datetime(2026, 1, 16, 23, 45, tzinfo=UTC)
    assert scheduled.scheduled_for is None


def test_an_order_fetched_for_a_plain_notification_is_as_soon_as_possible():
    announced = webhook("webhook_orders_notification")[0]
    order = payload("get_order_platform_courier")
    transport = RecordingTransport(respond=lambda request: CannedResponse(200, order))

    assert not Module().client(connection(), transport).get_announced_order(announced).is_scheduled


# --- prices ------------------------------------------------------------------------------------


def test_options_are_counted_once_so_the_lines_add_up_to_sub_total():
    # given a burger whose unit_price (11.00) already includes its side (2.00, itself with a 0.50 sauce)
    order = payload("get_order_nested_modifiers_removed_item")

    # when it is fetched
    canonical = fetched(order)

    # then the burger's own price is its base price, each option its own, and the lines make sub_total
    burger = canonical.lines[0]
    assert burger.unit_price.amount == Decimal("9.00")
    assert [(o.name, o.unit_price.amount) for o in burger.options] == [("Fries", Decimal("1.50"))]
    assert burger.options[0].options[0].unit_price.amount == Decimal("0.50")
    assert burger.gross_total() == Decimal("11.00")
    sub_total = Decimal(order["payment"]["charges"]["sub_total"]["amount"]) / 100
    assert canonical.lines_total() == Decimal("27.00") == sub_total
    ChannelModuleContract.assert_order_is_sound(canonical, "nested modifiers")


def test_subtotal_is_uber_sub_total_and_the_tax_is_added_on_top():
    # given Uber's documented arithmetic: total = sub_total + tax + total_fee (28.50 + 2.28 + 0 = 30.78)
    order = payload("get_order_platform_courier")

    # when it is fetched
    amounts = fetched(order).amounts

    # then the subtotal is sub_total (not sub_total − tax), the tax is known and on top of the prices
    assert amounts.subtotal.amount == Decimal("28.50")
    assert amounts.vat.amount == Decimal("2.28")
    assert amounts.prices_include_vat is False
    assert amounts.total.amount == Decimal("30.78")


def test_the_delivery_fee_is_delivery_fee_and_the_bag_fee_its_own():
    # given an own-fleet order with delivery_fee 3.99 and bag_fee 0.10 inside total_fee 4.09
    order = payload("get_order_own_courier")

    # when it is fetched
    amounts = fetched(order).amounts

    # then each fee is its own, none read from the total of fees
    assert amounts.delivery_fee.amount == Decimal("3.99")
    assert amounts.bag_fee.amount == Decimal("0.10")
    assert amounts.tip.amount == Decimal("3.00")


def test_tax_on_top_is_recognised_when_the_total_holds_the_tip():
    # given a merchant-delivered order whose total holds the tip: 19.00 + tax 1.52 + fees 4.09 + tip 3.00 = 27.61
    order = payload("get_order_own_courier")
    order["payment"]["charges"]["total"]["amount"] = 2761

    # when it is fetched
    amounts = fetched(order).amounts

    # then the tax is still known to be on top of the prices
    assert amounts.prices_include_vat is False


def test_a_merchant_funded_promotion_is_the_discount_not_the_promoted_total():
    # given a pickup order with 10 % off: sub_total 24.00, sub_total_promo_applied 21.60, total_promo_applied 23.33
    order = payload("get_order_pickup")

    # when it is fetched
    canonical = fetched(order)

    # then the discount is 2.40 and the total and tax are those with the promotion
    assert canonical.amounts.discount.amount == Decimal("2.40")
    assert canonical.amounts.total.amount == Decimal("23.33")
    assert canonical.amounts.vat.amount == Decimal("1.73")
    ChannelModuleContract.assert_order_is_sound(canonical, "promotion")


# --- what the customer asked for ------------------------------------------------------------------


def test_removed_items_stay_on_their_line():
    # given a caesar salad whose croutons were removed (removed_items, default_quantity 1)
    order = payload("get_order_nested_modifiers_removed_item")

    # when it is fetched
    salad = fetched(order).lines[1]

    # then the kitchen sees "no croutons"
    assert [(removed.name, removed.sku, removed.quantity) for removed in salad.removed] == [("Croutons", "croutons", 1)]
    assert salad.options == ()


def test_an_allergy_request_is_kept_apart_from_the_line_notes():
    order = payload("get_order_nested_modifiers_removed_item")

    burger = fetched(order).lines[0]

    assert burger.notes == "Medium well please"
    assert "PEANUTS" in burger.allergy_notes and "clean grill" in burger.allergy_notes


def test_the_sku_is_the_item_id_not_its_external_data():
    # given a cheeseburger with id burger-classic and external_data "kitchen:grill" (free-form store metadata)
    order = payload("get_order_platform_courier")

    # when it is fetched
    burger = fetched(order).lines[0]

    # then the SKU is the store's id
    assert burger.sku == "burger-classic"
    assert burger.options[0].sku == "bacon"


def test_the_courier_pickup_estimate_is_the_courier_s_and_the_ready_estimate_its_own():
    # given Uber's ready prediction (00:25:10Z) and the courier's estimated_pickup_time (00:28Z)
    order = payload("get_order_platform_courier")

    # when it is fetched
    canonical = fetched(order)

    # then neither stands in for the other
    assert canonical.estimates.ready_at == datetime(2026, 1, 17, 0, 25, 10, tzinfo=UTC)
    assert canonical.estimates.pickup_at == datetime(2026, 1, 17, 0, 28, tzinfo=UTC)
    assert canonical.delivery.pickup_eta == datetime(2026, 1, 17, 0, 28, tzinfo=UTC)
    assert (canonical.delivery.driver_phone, canonical.delivery.phone_code) == ("+13125550199", "55501234")


def test_a_pickup_order_keeps_its_ready_estimate():
    order = payload("get_order_pickup")

    assert fetched(order).estimates.ready_at == datetime(2026, 1, 16, 17, 30, tzinfo=UTC)


def test_the_packaging_flag_is_kept_and_no_selection_stays_unknown():
    with_choice = payload("get_order_own_courier")  # should_include: true
    declined = payload("get_order_platform_courier")  # should_include: false
    no_choice = payload("get_order_pickup")  # no packaging

    assert fetched(with_choice).disposables_requested is True
    assert fetched(declined).disposables_requested is False
    assert fetched(no_choice).disposables_requested is None


def test_the_eater_phone_is_the_number_alone():
    assert fetched(payload("get_order_pickup")).customer.phone == "+1 312-555-0112"


def test_the_order_uber_sent_is_kept_whole():
    order = payload("get_order_own_courier")

    assert fetched(order).channel_payload == order


# --- payment ----------------------------------------------------------------------------------


def test_cash_due_on_an_own_courier_order_is_to_collect_not_prepaid():
    # given an own-fleet order on which the courier must collect 24.61 in cash
    order = payload("get_order_own_courier")
    order["payment"]["charges"]["cash_amount_due"]["amount"] = 2461

    # when it is fetched
    payment = fetched(order).payments[0]

    # then it is a cash order with the amount to collect
    assert (payment.method, payment.prepaid) == (PaymentMethod.CASH, False)
    assert payment.cash_to_collect.amount == Decimal("24.61")


def test_an_order_without_payment_facts_is_not_called_prepaid_online():
    payment = fetched(payload("get_order_platform_courier")).payments[0]

    assert (payment.method, payment.prepaid) == (PaymentMethod.UNKNOWN, None)


# --- vocabulary and events ----------------------------------------------------------------------


def test_an_unknown_current_state_is_recorded_without_a_meaning():
    order = payload("get_order_dine_in")
    order["current_state"] = "UNKNOWN"

    canonical = fetched(order)

    assert (canonical.status, canonical.channel_status) == (None, "UNKNOWN")


def test_orders_release_is_a_kitchen_signal_not_a_courier_state():
    event = webhook("webhook_orders_release")[0]

    assert (event.status, event.channel_status) == (None, "orders.release")


def test_a_cancellation_says_when_and_that_uber_does_not_say_who():
    event = webhook("webhook_orders_cancel")[0]

    assert event.status == OrderStatus.CANCELLED
    assert event.cancellation.by == CancelledBy.UNKNOWN
    assert event.cancellation.cancelled_at == datetime(2026, 1, 17, 0, 52, tzinfo=UTC)


def test_a_late_retry_under_the_guide_s_schedule_is_not_refused():
    # given Uber's guide: retries after 10, 30, 60, 120, 240, 480 s keep the first event_time (the last ~16 min on)
    last_retry = timedelta(seconds=10 + 30 + 60 + 120 + 240 + 480 + 60)

    # when the last retry arrives
    events = webhook("webhook_orders_notification", received_after=last_retry)

    # then it is verified and parsed like the first send
    assert events[0].channel_order_id == "7b1e2f30-4c5d-4e6f-8a9b-0c1d2e3fa101"


def test_an_event_whose_resource_href_is_not_the_v2_order_is_refused_loudly():
    body = s.event("orders.notification", "ev-href", "ord-1").replace(
        b"/v2/eats/order/ord-1", b"/v1/delivery/order/ord-1")

    with pytest.raises(MalformedWebhook, match="resource_href"):
        Module().parse_webhook(connection(s.CLIENT_SECRET), body, CaseInsensitiveDict(s.sign(body)))
