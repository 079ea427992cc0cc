"""A channel's deadline counts from the instant it names: placed, confirm-by or the scheduled time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from canonical import OrderStatus
from integrations.channels.limits import CountsFrom, Deadline
from integrations.channels.sandbox_market.module import Module as SandboxMarket
from integrations.models import SyncJob
from integrations.outbound.runner import too_late

PLACED = datetime(2026, 1, 16, 18, 0, tzinfo=UTC)
CONFIRM_BY = PLACED + timedelta(hours=2)
SCHEDULED = PLACED + timedelta(hours=3)


def test_by_default_a_deadline_counts_from_the_order_being_placed():
    deadline = Deadline(OrderStatus.ACCEPTED, timedelta(minutes=5), "the order is cancelled")

    assert deadline.due_at(PLACED, confirm_by=CONFIRM_BY) == PLACED + timedelta(minutes=5)
    assert deadline.describe() == "accepted within 5 min, otherwise the order is cancelled"


def test_a_deadline_can_count_from_confirm_by_or_the_scheduled_time():
    confirm = Deadline(OrderStatus.ACCEPTED, timedelta(0), "the order is cancelled", counts_from=CountsFrom.CONFIRM_BY)
    ready = Deadline(OrderStatus.READY, timedelta(minutes=-10), "the courier waits",
                     counts_from=CountsFrom.SCHEDULED_FOR)

    assert confirm.due_at(PLACED, confirm_by=CONFIRM_BY, scheduled_for=SCHEDULED) == CONFIRM_BY
    assert ready.due_at(PLACED, confirm_by=CONFIRM_BY, scheduled_for=SCHEDULED) == SCHEDULED - timedelta(minutes=10)
    assert confirm.describe() == "accepted within 0 min of confirm_by, otherwise the order is cancelled"


def test_an_order_without_the_named_instant_counts_from_placed():
    confirm = Deadline(OrderStatus.ACCEPTED, timedelta(minutes=5), "cancelled", counts_from=CountsFrom.CONFIRM_BY)

    assert confirm.due_at(PLACED) == PLACED + timedelta(minutes=5)  # an ASAP order has no confirm-by


def test_the_runner_says_which_instant_a_missed_deadline_counted_from():
    class ScheduledMarket(SandboxMarket):  # a channel that wants scheduled orders confirmed by their confirm-by
        deadlines = (Deadline(OrderStatus.ACCEPTED, timedelta(0), "the order is cancelled",
                              counts_from=CountsFrom.CONFIRM_BY),)

    job = SyncJob(payload={"update": {"status": "accepted"}})

    assert too_late(ScheduledMarket(), job) == (
        "too late: the channel wanted accepted within 0 min of confirm_by (the order is cancelled)")
    assert too_late(SandboxMarket(), job) == (
        "too late: the channel wanted accepted within 10 min (the market voids the order)")
