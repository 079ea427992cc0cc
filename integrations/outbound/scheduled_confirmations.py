"""Scheduled orders are confirmed on time, by the platform: no one has to press a button too early or too late.

A channel that wants a scheduled order confirmed apart from its acceptance gives the order a confirm-by time
(``Order.confirm_by``; Deliveroo: ``confirm_at``, "you need to confirm scheduled orders before their preparation
start"). The order is accepted on arrival like any other; then, once ``confirm_by`` is less than ``CONFIRM_LEAD``
away, this sweep (beat, every ``SWEEP_EVERY``) moves it to *preparing* and writes the status job for its channel
marked ``scheduled`` (the client confirms instead of reporting a kitchen step), due before ``confirm_by``: the
outbox fails it, never retries it, past that instant. The lead is longer than the sweep's period, so a
confirmation is written at least ``CONFIRM_LEAD - SWEEP_EVERY`` before its deadline and never earlier than
``CONFIRM_LEAD`` before it. A scheduled order the kitchen starts by hand (the POS or a page moves it to
*preparing* before its time) needs no sweep: every status job's ``OrderRef`` says the order is scheduled
(``orders.channel_door.order_ref``), so that job is the confirmation.

Generic: only orders that carry a confirm-by time are looked at, and only for channels that take *preparing*.
``_clock`` is the seam tests move (``tests/clocks.ManualClock``).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from django.db import transaction

from canonical import OrderStatus, StatusUpdate
from integrations.channels.features import Feature, PostStatusOptions
from integrations.models import Connection, SyncJob
from orders.channel_door import order_ref
from orders.models import Order, StatusSource
from orders.status import apply_status

from .outbox import record_job, supporting

CONFIRM_LEAD = timedelta(minutes=3)
"""How long before its confirm-by time a scheduled order is confirmed."""
SWEEP_EVERY = timedelta(seconds=30)
"""The beat period of this sweep (sinqro_platform/beat.py)."""

_clock = time.time


def now() -> datetime:
    return datetime.fromtimestamp(_clock(), UTC)


def _takes_preparing(order: Order) -> Connection | None:
    connection = Connection.objects.select_related("channel").get(pk=order.connection_id)
    for candidate, module in supporting([connection], Feature.POST_STATUS):
        options = module.features.options(Feature.POST_STATUS)
        assert isinstance(options, PostStatusOptions)
        if OrderStatus.PREPARING in options.statuses and order.service_type in options.service_types:
            return candidate
    return None


def _confirmed_already(order: Order) -> bool:
    return SyncJob.objects.filter(order=order, kind=SyncJob.Kind.ORDER_STATUS, payload__order__scheduled=True,
                                  payload__update__status=OrderStatus.PREPARING).exists()


def _record_confirmation(order: Order, connection: Connection, at: datetime) -> SyncJob:
    update = StatusUpdate(status=OrderStatus.PREPARING, occurred_at=at)
    return record_job(
        connection,
        SyncJob.Kind.ORDER_STATUS,
        {"order": order_ref(order).model_copy(update={"scheduled": True}).model_dump(mode="json"),
         "update": update.model_dump(mode="json")},
        target=f"order {order.display_code or order.channel_order_id} → confirmed (scheduled)",
        order_id=order.pk,
        ordering_key=f"order:{order.pk}",
        deadline_at=order.confirm_by if order.confirm_by and order.confirm_by > at else None,
        correlation_id=order.correlation_id or None,
    )


def confirm_due_scheduled_orders() -> dict[str, int]:
    """Confirm each accepted scheduled order whose confirm-by time is near; how many were confirmed."""
    at = now()
    counts = {"confirmed": 0}
    candidates = Order.objects.filter(confirm_by__isnull=False, connection__isnull=False).exclude(channel_order_id="")
    due = candidates.filter(status=OrderStatus.ACCEPTED, confirm_by__lte=at + CONFIRM_LEAD)
    for order in due.order_by("confirm_by"):
        connection = _takes_preparing(order)
        if connection is None or _confirmed_already(order):
            continue
        with transaction.atomic():
            locked = Order.objects.select_for_update().get(pk=order.pk)
            change = apply_status(locked, OrderStatus.PREPARING, source=StatusSource.SYSTEM,
                                  note="scheduled order confirmed before its confirm-by time",
                                  correlation_id=locked.correlation_id or "")
            if change.applied:
                _record_confirmation(locked, connection, at)
                counts["confirmed"] += 1
    return counts
