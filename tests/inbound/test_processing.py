"""Processing stored webhooks: orders with every line, statuses through the state machine, clear failures."""

from __future__ import annotations

from decimal import Decimal

import pytest

from integrations.models import WebhookEvent
from orders.models import Order, OrderStatus, StatusChange
from orders.totals import compute_totals
from tests.channels.sandbox_market_samples import booking, ticket
from tests.factories.integrations import ConnectionFactory

from .conftest import deliver, market_event, process

pytestmark = pytest.mark.django_db


def received(client, connection, body: bytes) -> int:
    reply = deliver(client, connection, body)
    assert reply.status_code == 202, reply.json
    return reply.json["event_id"]


def test_a_new_order_is_stored_with_every_line_option_amount_and_its_correlation_id(client, connection):
    event_id = received(client, connection, market_event("ticket.created", "SM-000042", ticket=ticket()))

    event = process(event_id)

    assert event.state == WebhookEvent.State.PROCESSED, event.error
    assert (event.event_type, event.channel_order_id, event.attempts) == ("new_order", "SM-000042", 1)
    order = Order.objects.get()
    assert event.order == order and order.correlation_id == event.correlation_id
    assert (order.restaurant, order.service_type, order.status, order.channel_status) == (
        connection.restaurant, "delivery", OrderStatus.RECEIVED, "NEW")
    assert (order.display_code, order.customer_name, order.address_city, order.notes) == (
        "B7", "Ana G.", "Madrid", "Sin cebolla")
    assert order.address_lat == Decimal("40.416800")
    pizza, cheese, beer = order.lines.order_by("position")
    assert (pizza.sku, pizza.quantity, pizza.unit_price, pizza.parent) == ("PIZ-MARG-M", 2, Decimal("11.50"), None)
    # 1 extra cheese per pizza on 2 pizzas: 2 in the order.
    assert (cheese.sku, cheese.quantity, cheese.unit_price, cheese.parent) == ("OPT-CHEESE", 2, Decimal("1.50"), pizza)
    assert (beer.sku, beer.quantity, beer.vat_rate) == ("BEB-CANA", 1, Decimal("21.00"))
    assert (order.subtotal_amount, order.vat_amount, order.total_amount) == (
        Decimal("25.70"), Decimal("2.80"), Decimal("32.00"))
    assert (order.delivery_fee, order.tip_amount, order.discount_amount) == (
        Decimal("2.50"), Decimal("1.00"), Decimal("0.00"))
    ours = compute_totals(order.lines.all(), order.delivery_fee, order.tip_amount, order.discount_amount)
    assert ours.total_amount == order.total_amount
    payment = order.payments.get()
    assert (payment.method, payment.amount, payment.prepaid) == ("card", Decimal("32.00"), True)
    history = order.status_changes.get()
    assert (history.to_status, history.applied, history.correlation_id) == ("received", True, event.correlation_id)
    connection.refresh_from_db()
    assert connection.last_webhook_at == event.received_at


def test_a_reservation_is_stored_with_diners_and_time(client, connection):
    event_id = received(client, connection, market_event("booking.created", "SM-000043", ticket=booking()))

    assert process(event_id).state == WebhookEvent.State.PROCESSED
    reservation = Order.objects.get()
    assert (reservation.service_type, reservation.status, reservation.diners) == ("reservation", "requested", 4)
    assert reservation.reservation_at.isoformat() == "2026-11-28T20:30:00+00:00"


def test_processing_an_event_twice_changes_nothing_the_second_time(client, connection):
    event_id = received(client, connection, market_event("ticket.created", "SM-000042", ticket=ticket()))
    process(event_id)

    second = process(event_id)

    assert second.attempts == 1 and second.state == WebhookEvent.State.PROCESSED
    assert Order.objects.count() == 1 and StatusChange.objects.count() == 1


def test_a_redelivered_new_order_with_another_event_id_records_only_news(client, connection):
    process(received(client, connection, market_event("ticket.created", "SM-000042", ticket=ticket())))

    later = process(received(client, connection, market_event(
        "ticket.created", "SM-000042", ticket=ticket(state="CONFIRMED"))))
    process(received(client, connection, market_event("ticket.created", "SM-000042", ticket=ticket())))

    order = Order.objects.get()
    assert later.order == order
    assert order.status == OrderStatus.ACCEPTED and order.lines.count() == 3
    assert list(order.status_changes.values_list("to_status", "applied")) == [
        ("received", True), ("accepted", True)]


def test_status_changes_move_the_order_forward_and_stale_ones_are_only_recorded(client, connection):
    process(received(client, connection, market_event("ticket.created", "SM-000042", ticket=ticket())))

    ready = process(received(client, connection, market_event("ticket.state_changed", "SM-000042", state="READY")))
    late = process(received(client, connection, market_event(
        "ticket.state_changed", "SM-000042", state="CONFIRMED")))

    order = Order.objects.get()
    assert (order.status, order.channel_status) == (OrderStatus.READY, "READY")
    assert ready.order == order and late.state == WebhookEvent.State.PROCESSED
    rows = list(order.status_changes.values_list("to_status", "applied", "correlation_id"))
    assert rows[1:] == [("ready", True, ready.correlation_id), ("accepted", False, late.correlation_id)]


def test_a_takeaway_handed_over_is_mapped_with_the_stored_service_type(client, connection):
    process(received(client, connection, market_event(
        "ticket.created", "SM-000050", ticket=ticket("SM-000050", kind="TAKEAWAY", drop_off=None))))

    process(received(client, connection, market_event("ticket.state_changed", "SM-000050", state="HANDED_OVER")))

    assert Order.objects.get().status == OrderStatus.PICKED_UP


def test_a_retryable_channel_failure_leaves_the_event_for_a_retry(client, connection, failing_market):
    from integrations.inbound.processing import RetryLater, process_webhook_event

    event_id = received(client, connection, market_event("ticket.created", "SM-1"))  # thin: must GET

    with pytest.raises(RetryLater):
        process_webhook_event(event_id)

    event = WebhookEvent.objects.get(pk=event_id)
    assert event.state == WebhookEvent.State.RECEIVED and event.attempts == 1
    assert event.error.startswith("will retry") and "HTTP 500" in event.error


def test_after_the_fetch_retry_window_a_failing_fetch_fails_the_event(client, connection, failing_market, settings):
    settings.WEBHOOK_FETCH_RETRY_WINDOW_SECONDS = 0
    event_id = received(client, connection, market_event("ticket.state_changed", "SM-404", state="READY"))

    event = process(event_id)

    assert event.state == WebhookEvent.State.FAILED
    assert event.error.startswith("needs attention: the channel answered 500 for order SM-404 for 0 s")
    assert Order.objects.count() == 0


def test_an_unknown_event_type_is_ignored_with_the_reason(client, connection):
    event = process(received(client, connection, market_event("store.menu_synced", "SM-1")))

    assert event.state == WebhookEvent.State.IGNORED
    assert "'store.menu_synced' is not handled" in event.error


def test_invalid_json_is_failed_with_a_readable_reason(client, connection):
    event = process(received(client, connection, b'{"event": "ticket.created", oops'))

    assert event.state == WebhookEvent.State.FAILED
    assert event.error.startswith("not a Sandbox Market event: Expecting property name")
    assert event.traceback == ""


def test_a_payload_failing_the_schema_is_failed_with_a_reason_staff_can_read(client, connection):
    broken = ticket()
    broken["basket"][0]["qty"] = 0
    event = process(received(client, connection, market_event("ticket.created", "SM-000042", ticket=broken)))

    assert event.state == WebhookEvent.State.FAILED
    assert "quantity" in event.error and "greater than or equal to 1" in event.error
    assert Order.objects.count() == 0


def test_an_unmapped_channel_status_fails_the_event(client, connection):
    process(received(client, connection, market_event("ticket.created", "SM-000042", ticket=ticket())))

    event = process(received(client, connection, market_event(
        "ticket.state_changed", "SM-000042", state="TELEPORTED")))

    assert event.state == WebhookEvent.State.FAILED
    assert "TELEPORTED" in event.error


def test_an_unexpected_error_fails_the_event_with_the_traceback(client, connection, monkeypatch):
    def explode(*args, **kwargs):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr("integrations.inbound.processing.take_order", explode)

    event = process(received(client, connection, market_event("ticket.created", "SM-000042", ticket=ticket())))

    assert event.state == WebhookEvent.State.FAILED
    assert event.error == "ZeroDivisionError: boom"
    assert "Traceback" in event.traceback and "explode" in event.traceback


def test_a_new_order_is_offered_to_auto_accept_once(client, connection, monkeypatch):
    offered: list[int] = []
    monkeypatch.setattr("integrations.inbound.processing.auto_accept_if_enabled", lambda o: offered.append(o.pk))
    body = market_event("ticket.created", "SM-000042", ticket=ticket())

    event = process(received(client, connection, body))
    process(received(client, connection, market_event("ticket.created", "SM-000042", ticket=ticket())))

    assert offered == [event.order_id]


def test_the_same_channel_order_id_on_two_connections_is_two_orders(client, connection):
    other = ConnectionFactory()
    process(received(client, connection, market_event("ticket.created", "SM-000042", ticket=ticket())))
    process(received(client, other, market_event("ticket.created", "SM-000042", ticket=ticket())))

    assert Order.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_the_auto_accept_commits_with_the_order_so_a_crash_after_the_commit_cannot_lose_it(
    client, connection, monkeypatch
):
    from django.db import transaction

    inside: list[bool] = []
    monkeypatch.setattr(
        "integrations.inbound.processing.auto_accept_if_enabled",
        lambda order: inside.append(transaction.get_connection().in_atomic_block),
    )

    process(received(client, connection, market_event("ticket.created", "SM-000042", ticket=ticket())))

    assert inside == [True]


def test_a_failing_auto_accept_leaves_the_order_and_the_event_processed(client, connection, monkeypatch):
    def broken(order):
        order.status_changes.create(from_status="received", to_status="accepted", source="system", applied=True,
                                    reason="half-written", occurred_at=order.placed_at)
        raise RuntimeError("auto-accept broke")

    monkeypatch.setattr("integrations.inbound.processing.auto_accept_if_enabled", broken)

    event = process(received(client, connection, market_event("ticket.created", "SM-000042", ticket=ticket())))

    assert event.state == WebhookEvent.State.PROCESSED
    order = Order.objects.get(channel_order_id="SM-000042")
    assert order.status == "received" and not order.status_changes.filter(reason="half-written").exists()
