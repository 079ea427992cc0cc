"""Resending an order's last status to its channel (staff, from the order's ticket).

The last status job of the order decides what "resend" means:

- it failed, or waits: it is retried now (``job_actions.retry_jobs``, with its rules: not past its
  deadline, not while a worker runs it);
- it succeeded or was cancelled, and the order is still at that status: the same update is queued
  again as a new job (a fresh idempotency key, so the channel takes it as a new call), for when the
  channel shows something else than what it answered;
- the order has moved on since, or nothing was ever sent: refused, saying why.

The order itself never moves here.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from integrations.models import SyncJob
from orders.models import Order

from .job_actions import RETRYABLE, retry_jobs
from .outbox import record_job

State = SyncJob.State


class CannotResend(Exception):
    """Nothing was resent; the message says why."""


def last_status_job(order: Order) -> SyncJob | None:
    """The newest status job written for ``order`` (any state), or None."""
    return order.sync_jobs.filter(kind=SyncJob.Kind.ORDER_STATUS).order_by("-created_at", "-id").first()


def resend_last_status(order: Order) -> SyncJob:
    """Send the order's last status again; the job that carries it (retried or new), or ``CannotResend``."""
    with transaction.atomic():
        last = last_status_job(order)
        if last is None:
            raise CannotResend("no status was ever sent to the channel for this order")
        last = SyncJob.objects.select_for_update().get(pk=last.pk)
        if last.state in RETRYABLE:
            done = retry_jobs([last.pk])
            if done.refused:
                raise CannotResend(f"job {last.pk} was not retried: {done.refused[0].reason}")
            last.refresh_from_db()
            return last
        if last.state == State.RUNNING:
            raise CannotResend(f"job {last.pk} is with a worker now; its answer is on its way")
        sent = (last.payload.get("update") or {}).get("status")
        order.refresh_from_db(fields=["status"])
        if sent != order.status:
            raise CannotResend(f"the last status sent was {sent}, but the order is {order.status} now")
        now = timezone.now()
        if last.deadline_at is not None and last.deadline_at <= now:
            raise CannotResend(
                f"its deadline passed at {last.deadline_at:%Y-%m-%d %H:%M %Z}: the channel no longer takes it"
            )
        payload = {**last.payload, "update": {**last.payload["update"], "occurred_at": now.isoformat()}}
        return record_job(
            last.connection,
            SyncJob.Kind.ORDER_STATUS,
            payload,
            target=last.target,
            order_id=order.pk,
            ordering_key=last.ordering_key,
            coalesce_key=last.coalesce_key,
            deadline_at=last.deadline_at,
            correlation_id=last.correlation_id or None,
        )
