"""Reconciliation: ask the channel about open orders we have not heard of for a while, so a lost webhook heals.

Only orders whose module can GET a status are picked (filtered in the query,
so orders of other channels never crowd the batch). What the channel answers
goes through the orders' channel door: a status that moves the order forward
is applied (source ``reconciliation``); anything else leaves no history row,
so an idle order's history is not filled with "same status" rows. Either way
the answer is stamped as news, so the order is not asked again at every run.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from canonical import FINAL_STATUSES
from canonical.state_machine import is_final_for
from integrations.channels.features import Feature
from integrations.channels.registry import all_modules
from integrations.connections import client_for
from integrations.http import PermanentChannelError
from orders.channel_door import flag_for_staff, order_ref, stamp_channel_news, take_channel_status
from orders.models import Order, StatusSource

logger = logging.getLogger(__name__)


@dataclass
class ReconcileReport:
    checked: int = 0
    moved: list[int] = field(default_factory=list)
    failed: dict[int, str] = field(default_factory=dict)


def modules_with_status() -> list[str]:
    return [slug for slug, module in all_modules().items() if module.features.supports(Feature.GET_STATUS)]


def orders_to_reconcile(older_than: timedelta, now: datetime, limit: int) -> list[Order]:
    cutoff = now - older_than
    candidates = (
        Order.objects.filter(
            connection__enabled=True,
            connection__channel__enabled=True,
            connection__channel__module__in=modules_with_status(),
        )
        .exclude(status__in=FINAL_STATUSES)
        .filter(Q(last_channel_update_at__lt=cutoff) | Q(last_channel_update_at__isnull=True, created_at__lt=cutoff))
        .select_related("connection__channel", "connection__restaurant")
        .order_by("last_channel_update_at", "id")
    )
    # picked_up ends collection orders only, so the last finality check is per service type.
    return [order for order in candidates[:limit] if not is_final_for(order.service_type, order.status)]


def reconcile_open_orders(
    older_than: timedelta | None = None, now: datetime | None = None, limit: int | None = None
) -> ReconcileReport:
    """GET the status of stale open orders and apply what is new. One order's failure never stops the batch."""
    now = now or timezone.now()
    older_than = older_than if older_than is not None else timedelta(seconds=settings.RECONCILE_AFTER_SECONDS)
    report = ReconcileReport()
    for order in orders_to_reconcile(older_than, now, limit or settings.RECONCILE_BATCH_SIZE):
        report.checked += 1
        try:
            if _reconcile(order, now):
                report.moved.append(order.pk)
        except PermanentChannelError as exc:
            # The channel will answer the same next time: a human must look, and the order
            # goes to the back of the queue instead of taking a slot at every run.
            report.failed[order.pk] = str(exc)
            flag_for_staff(order, f"reconciliation: the channel answered {exc}")
            stamp_channel_news(order, now)
        except Exception as exc:  # per order: log, report, go on
            logger.warning("reconciliation of order %s failed: %s", order.pk, exc)
            report.failed[order.pk] = f"{type(exc).__name__}: {exc}"
    return report


def _reconcile(order: Order, now: datetime) -> bool:
    """True if the channel's answer moved the order."""
    assert order.connection is not None
    # A client per order, so the order's correlation id follows it into the call (sessions are pooled).
    client = client_for(order.connection, correlation_id=order.correlation_id or None)
    reported = client.get_order_status(order_ref(order))
    change = take_channel_status(
        order,
        reported.status,
        channel_status=reported.channel_status,
        occurred_at=reported.changed_at or now,
        source=StatusSource.RECONCILIATION,
        correlation_id=order.correlation_id,
        note="fetched by reconciliation: the webhook for this change never arrived",
        record_stale=False,
    )
    # The channel answered: that is news, even when it changed nothing.
    stamp_channel_news(order, now)
    return change is not None and change.applied
