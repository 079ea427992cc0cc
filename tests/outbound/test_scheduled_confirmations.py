"""The scheduled-confirmation sweep on a controlled clock: not before its time, once, before confirm-by; only for
channels that take *preparing*; a kitchen started by hand is confirmed at the next sweep, its status kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from integrations.models import SyncJob
from integrations.outbound import scheduled_confirmations as confirmations
from integrations.outbound.services import change_order_status
from orders.models import OrderStatus
from tests.clocks import ManualClock
from tests.factories.integrations import ChannelFactory, ConnectionFactory
from tests.factories.orders import OrderFactory

pytestmark = pytest.mark.django_db

CONFIRM_BY = datetime(2026, 5, 30, 19, 12, tzinfo=UTC)
CREDENTIALS = {"client_id": "c", "client_secret": "api-secret", "webhook_secret": "hook-secret", "brand_id": "b"}


@pytest.fixture
def clock(monkeypatch) -> ManualClock:
    clock = ManualClock(start=(CONFIRM_BY - timedelta(hours=2)).timestamp())
    monkeypatch.setattr(confirmations, "_clock", clock)
    return clock


def scheduled_order(module: str = "deliveroo", status: str = OrderStatus.ACCEPTED, **credentials):
    connection = ConnectionFactory(channel=ChannelFactory(module=module), credentials=credentials or CREDENTIALS)
    return OrderFactory(connection=connection, restaurant=connection.restaurant, status=status,
                        confirm_by=CONFIRM_BY, scheduled_for=CONFIRM_BY + timedelta(minutes=30))


def confirmation_jobs() -> list[SyncJob]:
    return list(SyncJob.objects.filter(kind=SyncJob.Kind.ORDER_STATUS, payload__order__scheduled=True,
                                       payload__update__status=OrderStatus.PREPARING))


def test_nothing_is_sent_before_its_time_then_one_confirmation_due_by_confirm_by(clock):
    order = scheduled_order()

    clock.advance((CONFIRM_BY - confirmations.CONFIRM_LEAD).timestamp() - clock.now - 1)
    assert confirmations.confirm_due_scheduled_orders()["confirmed"] == 0
    assert not confirmation_jobs()

    clock.advance(1)
    assert confirmations.confirm_due_scheduled_orders()["confirmed"] == 1
    [job] = confirmation_jobs()
    assert job.deadline_at == CONFIRM_BY and job.payload["update"]["status"] == OrderStatus.PREPARING
    assert job.payload["order"]["channel_order_id"] == order.channel_order_id
    order.refresh_from_db()
    assert order.status == OrderStatus.PREPARING
    assert order.status_changes.last().source == "system"

    clock.advance(confirmations.SWEEP_EVERY.total_seconds())
    assert confirmations.confirm_due_scheduled_orders() == {"confirmed": 0}
    assert len(confirmation_jobs()) == 1


def test_the_lead_is_longer_than_the_sweep_so_a_confirmation_always_lands_before_confirm_by():
    assert confirmations.CONFIRM_LEAD > 2 * confirmations.SWEEP_EVERY


def test_an_order_not_accepted_yet_is_not_confirmed(clock):
    order = scheduled_order(status=OrderStatus.RECEIVED)
    clock.advance(2 * 3600 - 60)

    assert confirmations.confirm_due_scheduled_orders()["confirmed"] == 0
    order.refresh_from_db()
    assert order.status == OrderStatus.RECEIVED and not confirmation_jobs()


def test_a_channel_that_takes_no_preparing_step_is_left_alone(clock):
    order = scheduled_order("uber_eats", client_id="c", client_secret="uber-secret")
    clock.advance(2 * 3600 - 60)

    assert confirmations.confirm_due_scheduled_orders()["confirmed"] == 0
    order.refresh_from_db()
    assert order.status == OrderStatus.ACCEPTED


def test_a_kitchen_started_by_hand_hours_early_is_confirmed_by_that_move_and_the_sweep_adds_nothing(clock):
    order = scheduled_order()
    change_order_status(order, OrderStatus.PREPARING)  # staff, on the POS, two hours ahead

    [job] = confirmation_jobs()  # the POS path's job says the order is scheduled: the client confirms it
    assert job.payload["order"]["scheduled"] is True and job.payload["update"]["status"] == OrderStatus.PREPARING
    clock.advance(2 * 3600 - 60)
    assert confirmations.confirm_due_scheduled_orders() == {"confirmed": 0}
    assert len(confirmation_jobs()) == 1
