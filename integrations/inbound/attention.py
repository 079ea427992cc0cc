"""Orders nobody acted on: still received (reservations: requested) a while after they arrived.

The flag is ``Order.needs_attention`` with a reason starting with
``WAITING_PREFIX``; admin filters on it and the restaurant's page shows it.
Only flags raised here are cleared here, once the order has moved on, so a
flag set for another reason (by staff, by reconciliation) stays.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from orders.models import Order, OrderStatus

WAITING_PREFIX = "Not acted on:"
WAITING_STATUSES = (OrderStatus.RECEIVED, OrderStatus.REQUESTED)


def flag_waiting_orders(now: datetime | None = None, after: timedelta | None = None, limit: int = 1000) -> int:
    """Flag orders still waiting ``after`` their arrival (``ATTENTION_AFTER_SECONDS``); returns how many."""
    now = now or timezone.now()
    after = after if after is not None else timedelta(seconds=settings.ATTENTION_AFTER_SECONDS)
    minutes = max(1, int(after.total_seconds() // 60))
    ids = list(
        Order.objects.filter(status__in=WAITING_STATUSES, needs_attention=False, created_at__lt=now - after)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    flagged = 0
    for status in WAITING_STATUSES:
        flagged += Order.objects.filter(pk__in=ids, status=status, needs_attention=False).update(
            needs_attention=True,
            attention_reason=f"{WAITING_PREFIX} still {status} more than {minutes} min after it arrived",
        )
    return flagged


def clear_moved_on(limit: int = 1000) -> int:
    """Clear the flags raised by ``flag_waiting_orders`` on orders that are no longer waiting."""
    ids = list(
        Order.objects.filter(needs_attention=True, attention_reason__startswith=WAITING_PREFIX)
        .exclude(status__in=WAITING_STATUSES)
        .values_list("pk", flat=True)[:limit]
    )
    return (
        Order.objects.filter(pk__in=ids)
        .exclude(status__in=WAITING_STATUSES)
        .update(needs_attention=False, attention_reason="")
    )
