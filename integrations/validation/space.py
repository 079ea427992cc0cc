"""Validation in its own space: what a run must not leave behind in the restaurant's live state.

- **Test orders** are marked ``Order.is_test`` by the run that made them
  (``mark_test_orders``), so the status page, the POS API, admin's default
  list and auto-accept leave them out. They are kept for staff to look at
  (the run's results name them) and purged by retention: each new run of a
  connection deletes its test orders older than ``TEST_ORDER_RETENTION``
  (old enough that no late webhook of theirs is still on its way; a webhook
  for an order we no longer have would make it anew, unmarked).
- **Auto-accept waits** while a run of the connection is going
  (``validation_running``): a test order can arrive through its webhook before
  the run knows its id, and an accept racing the run's own status changes
  left failed jobs. A real order that came meanwhile is accepted when the run
  ends (``runner.accept_held_orders``).
- **What the restaurant told the channel** (its pause, for the pause check)
  is read from our rows (``restaurant_pause``) and put back at the end.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from canonical import PauseRequest, ServiceType
from integrations.models import Connection, ValidationRun
from orders.models import Order
from restaurants.models import Pause

TEST_ORDER_RETENTION = timedelta(days=1)
TEST_ORDER_WAIT_SECONDS = 5.0
"""At a run's end, how long to wait for a test order its webhook has still to bring, to mark it."""
RUN_HOLDS_AUTO_ACCEPT_FOR = timedelta(minutes=30)
"""A run still ``running`` after this long crashed: it no longer holds auto-accept back."""


def validation_running(connection_id: int, now: datetime | None = None) -> bool:
    """True while a validation run of the connection is going (auto-accept waits for its end)."""
    now = now or timezone.now()
    return ValidationRun.objects.filter(
        connection_id=connection_id,
        state=ValidationRun.State.RUNNING,
        started_at__gt=now - RUN_HOLDS_AUTO_ACCEPT_FOR,
    ).exists()


def mark_test_orders(connection: Connection, channel_order_ids: Iterable[str]) -> int:
    """Mark the connection's orders with these channel ids as test orders; returns how many rows are marked."""
    ids = list(channel_order_ids)
    if not ids:
        return 0
    Order.objects.filter(connection=connection, channel_order_id__in=ids, is_test=False).update(
        is_test=True, updated_at=timezone.now()
    )
    return Order.objects.filter(connection=connection, channel_order_id__in=ids, is_test=True).count()


def purge_test_orders(connection: Connection, now: datetime | None = None) -> int:
    """Delete the connection's test orders older than the retention (their lines and history go with them)."""
    now = now or timezone.now()
    old = Order.objects.filter(connection=connection, is_test=True, created_at__lt=now - TEST_ORDER_RETENTION)
    deleted, _ = old.delete()
    return deleted


def restaurant_pause(connection: Connection, per_service_type: bool) -> tuple[PauseRequest | None, list[PauseRequest]]:
    """What the restaurant has told this channel about pausing, from our rows.

    Returns the whole-store pause (the restaurant's or this channel's own,
    the one lasting longest; None when open) and, for a channel that pauses
    one service alone, the restaurant's one-service pauses.
    """
    now = timezone.now()
    active = Pause.objects.filter(restaurant_id=connection.restaurant_id, created_at__lte=now).filter(
        Q(resumed_at__isnull=True) | Q(resumed_at__gt=now)
    ).filter(Q(until__isnull=True) | Q(until__gt=now))
    whole = [PauseRequest(until=row.until, reason=row.reason) for row in active.filter(service_type__isnull=True)]
    if connection.is_channel_paused(now):
        whole.append(PauseRequest(until=connection.channel_paused_until, reason=connection.channel_pause_reason))
    longest = max(whole, key=lambda pause: (pause.until is None, pause.until or now), default=None)
    services = []
    if per_service_type:
        services = [
            PauseRequest(until=row.until, reason=row.reason, service_type=ServiceType(row.service_type))
            for row in active.filter(service_type__isnull=False).order_by("created_at")
        ]
    return longest, services
