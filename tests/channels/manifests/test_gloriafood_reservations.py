"""GloriaFood's table reservations: an accepted one is a new reservation (diners, time, customer, notes), checked
against the corpus' expected ``reservations``; one pushed with another status stays an unknown event, kept."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

from canonical import InboundEventKind, OrderStatus, ServiceType
from integrations.channels.manifests.expected_reservations import compare_reservations
from integrations.channels.manifests.kit import check as kit_check
from integrations.channels.manifests.values import Scope, build_fields
from tests.channels.manifests import test_gloriafood_contract as contract  # a module: its Test class runs once

CHANNEL = Path(__file__).resolve().parents[3] / "integrations" / "channels" / "gloriafood"
PUSH = "orders_dine_in_and_reservation"


def parse(body: bytes):
    connection = contract.TestGloriaFoodContract().corpus_connection()
    return contract.GloriaFood().parse_webhook(connection, body, contract.headers())


def push_with(changes: dict) -> bytes:
    """The corpus push with its table reservation (its second order) changed."""
    push = json.loads(contract.TestGloriaFoodContract().corpus_case(PUSH).body)
    push["orders"][1].update(changes)
    return json.dumps(push).encode()


def test_each_reservation_of_the_corpus_is_read_as_its_expected_result_says():
    cases = [case for case in contract.TestGloriaFoodContract().corpus() if "reservations" in case.expected]
    assert [case.name for case in cases] == [PUSH]
    for case in cases:
        comparison = compare_reservations(case.expected["reservations"], parse(case.body))
        assert comparison.agrees, comparison.report(case.name)


def test_a_push_of_an_order_and_a_table_reservation_gives_both():
    dine_in, booking = parse(contract.TestGloriaFoodContract().corpus_case(PUSH).body)

    assert (dine_in.kind, dine_in.order.service_type) == (InboundEventKind.NEW_ORDER, ServiceType.IN_SITU)
    assert booking.kind == InboundEventKind.NEW_RESERVATION and booking.channel_order_id == "6100204"
    reservation = booking.order
    assert (reservation.service_type, reservation.status, reservation.channel_status) == (
        ServiceType.RESERVATION, OrderStatus.CONFIRMED, "accepted")
    assert (reservation.diners, reservation.reservation_at) == (4, datetime(2026, 3, 20, 21, 0, tzinfo=UTC))
    assert (reservation.customer.name, reservation.customer.phone) == ("Pau Roca", "+34600777888")
    assert reservation.notes == "A high chair for a toddler, please"
    assert reservation.payments == () and reservation.lines == ()  # its 'CASH' pays nothing: no payment of 0.00
    assert reservation.delivery_address is None and reservation.table == ""


def test_a_reservation_for_later_is_not_also_a_scheduled_order():
    booking = parse(push_with({"for_later": True}))[1]

    assert booking.order.reservation_at == datetime(2026, 3, 20, 21, 0, tzinfo=UTC)
    assert booking.order.scheduled_for is None


def test_a_table_reservation_pushed_with_another_status_is_kept_as_unknown_not_booked():
    dine_in, booking = parse(push_with({"status": "canceled"}))

    assert dine_in.kind == InboundEventKind.NEW_ORDER  # the push's other order is still applied
    assert booking.kind == InboundEventKind.UNKNOWN and booking.order is None
    assert booking.event_id == "6100204:77:table_reservation:canceled"
    assert "accepted table reservation" in booking.ignored_reason


def test_the_kit_refuses_a_manifest_that_misreads_the_reservation(tmp_path):
    text = (CHANNEL / "manifest.yaml").read_text()
    right = "reservation_at: {when: {fact: reservation}, time: fulfill_at}"
    assert right in text
    folder = tmp_path / "gloriafood"
    shutil.copytree(CHANNEL / "corpus", folder / "corpus")
    (folder / "manifest.yaml").write_text(text.replace(right, right.replace("fulfill_at", "accepted_at")))

    report = kit_check(folder / "manifest.yaml")

    assert not report.ok
    problem = next(str(p.message) for p in report.problems if "reservations[0]" in str(p.message))
    assert "reservations[0].reservation_at: expected 2026-03-20T21:00:00Z" in problem


def test_a_written_out_object_whose_condition_is_false_is_left_out_of_its_list():
    fields = {"payments": [{"when": "paid", "fields": {"method": {"value": "online"}}},
                           {"fields": {"method": {"value": "cash"}}}]}

    assert build_fields(fields, Scope({"paid": False}, {}), "order") == {"payments": [{"method": "cash"}]}
    assert build_fields(fields, Scope({"paid": True}, {}), "order") == {
        "payments": [{"method": "online"}, {"method": "cash"}]}


def test_the_status_each_order_is_read_with_is_what_the_declared_status_maps_say():
    """The mapping writes the status inline; statuses and reservation_statuses (the coverage document's) agree."""
    module = contract.GloriaFood()
    orders = [event.order for case in contract.TestGloriaFoodContract().corpus() for event in parse(case.body)
              if event.order is not None]

    assert {order.service_type for order in orders} >= {ServiceType.RESERVATION, ServiceType.IN_SITU}
    for order in orders:
        assert order.status == module.to_canonical_status(order.channel_status, order.service_type), order
