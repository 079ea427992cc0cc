"""The beat task of ``scheduled_confirmations`` (thin), registered under ``integrations.enqueue``'s name.

Found by Celery's discovery through ``integrations/tasks.py``; nothing else imports it.
"""

from __future__ import annotations

from celery import shared_task

from integrations import enqueue

from . import scheduled_confirmations

__all__ = ["confirm_scheduled_orders"]


@shared_task(name=enqueue.CONFIRM_SCHEDULED_ORDERS, ignore_result=True)
def confirm_scheduled_orders() -> dict[str, int]:
    """Confirm the scheduled orders whose confirm-by time is near (beat, every 30 s)."""
    return scheduled_confirmations.confirm_due_scheduled_orders()
