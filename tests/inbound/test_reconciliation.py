"""Reconciliation heals lost status webhooks; orders nobody acted on are flagged, and unflagged once they move."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from integrations.connections import client_for
from integrations.inbound.attention import clear_moved_on, flag_waiting_orders
from integrations.inbound.reconciliation import reconcile_open_orders
from orders.channel_door import ChannelLink, take_order
from orders.models import Order, OrderStatus, StatusSource
from orders.status import apply_status
from tests.factories.integrations import SANDBOX_API_KEY, ChannelFactory, ConnectionFactory
from tests.factories.orders import OrderFactory, ReservationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def market_connection(market):
    market.register_store(store_ref="casa-lucia", api_key=SANDBOX_API_KEY, currency="EUR")  # no webhooks at all
    return ConnectionFactory(channel=ChannelFactory(sandbox_base_url=market.url), store_id="casa-lucia")


def order_from_market(market, connection, **ticket_fields) -> Order:
    ticket = market.create_ticket("casa-lucia", **ticket_fields)
    link = ChannelLink(connection_id=connection.pk, restaurant_id=connection.restaurant_id)
    order, _ = take_order(link, client_for(connection).get_order(ticket["ticket_id"]), correlation_id="c0ffee")
    return order


def test_a_status_change_whose_webhook_never_came_is_fetched_and_applied(market, market_connection):
    order = order_from_market(market, market_connection)
    market.change_state(order.channel_order_id, "CONFIRMED")
    market.change_state(order.channel_order_id, "IN_KITCHEN")

    report = reconcile_open_orders(older_than=timedelta(0))

    order.refresh_from_db()
    assert report.moved == [order.pk] and report.failed == {}
    assert (order.status, order.channel_status) == (OrderStatus.PREPARING, "IN_KITCHEN")
    change = order.status_changes.last()
    assert (change.source, change.applied, change.correlation_id) == (StatusSource.RECONCILIATION, True, "c0ffee")
    assert market_connection.calls.filter(operation="get_order_status", correlation_id="c0ffee").count() == 1


def test_an_order_with_recent_news_is_not_asked_and_an_unchanged_one_adds_no_history(market, market_connection):
    order = order_from_market(market, market_connection)
    history = order.status_changes.count()

    assert reconcile_open_orders().checked == 0  # news is fresh (default: 10 minutes)
    report = reconcile_open_orders(older_than=timedelta(0))

    order.refresh_from_db()
    assert report.checked == 1 and report.moved == []
    assert order.status_changes.count() == history
    assert order.last_channel_update_at > timezone.now() - timedelta(seconds=5)


def test_one_failing_order_does_not_stop_the_batch(market, market_connection):
    lost = OrderFactory(restaurant=market_connection.restaurant, connection=market_connection,
                        channel_order_id="SM-999999", last_channel_update_at=timezone.now() - timedelta(hours=1))
    order = order_from_market(market, market_connection)
    market.change_state(order.channel_order_id, "VOIDED")

    report = reconcile_open_orders(older_than=timedelta(0))

    assert report.moved == [order.pk] and list(report.failed) == [lost.pk]
    lost.refresh_from_db()
    assert lost.needs_attention and "ticket_not_found" in lost.attention_reason


def test_final_orders_and_orders_without_a_connection_are_left_alone(market_connection):
    OrderFactory(restaurant=market_connection.restaurant, connection=market_connection, status=OrderStatus.DELIVERED,
                 channel_order_id="SM-1")
    OrderFactory(restaurant=market_connection.restaurant, connection=market_connection, status=OrderStatus.PICKED_UP,
                 service_type="collection", channel_order_id="SM-2")
    OrderFactory()

    assert reconcile_open_orders(older_than=timedelta(0)).checked == 0


def test_orders_still_waiting_after_the_threshold_are_flagged_then_cleared_when_they_move(settings):
    settings.ATTENTION_AFTER_SECONDS = 300
    old = timezone.now() - timedelta(minutes=6)
    waiting = OrderFactory()
    reservation = ReservationFactory()
    fresh = OrderFactory()
    accepted = OrderFactory(status=OrderStatus.ACCEPTED)
    Order.objects.filter(pk__in=[waiting.pk, reservation.pk, accepted.pk]).update(created_at=old)

    assert flag_waiting_orders() == 2

    waiting.refresh_from_db()
    assert waiting.needs_attention and waiting.attention_reason.startswith("Not acted on: still received")
    assert Order.objects.filter(needs_attention=True).count() == 2
    fresh.refresh_from_db()
    assert not fresh.needs_attention
    apply_status(waiting, OrderStatus.ACCEPTED, source=StatusSource.POS)
    assert clear_moved_on() == 1
    waiting.refresh_from_db()
    assert (waiting.needs_attention, waiting.attention_reason) == (False, "")


def test_a_flag_raised_for_another_reason_is_not_cleared():
    order = OrderFactory(status=OrderStatus.ACCEPTED, needs_attention=True, attention_reason="courier lost")

    assert clear_moved_on() == 0
    order.refresh_from_db()
    assert order.needs_attention


def test_the_periodic_task_runs_both(market, market_connection, settings):
    from integrations.inbound.tasks import reconcile_orders

    settings.RECONCILE_AFTER_SECONDS = 0
    settings.ATTENTION_AFTER_SECONDS = 0
    order = order_from_market(market, market_connection)
    market.change_state(order.channel_order_id, "CONFIRMED")

    result = reconcile_orders.apply().get()

    assert result["moved"] == 1
    order.refresh_from_db()
    assert order.status == OrderStatus.ACCEPTED and not order.needs_attention
