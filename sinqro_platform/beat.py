"""Periodic tasks (django-celery-beat syncs this schedule into its tables on start).

The task names come from ``integrations.enqueue``, where every task name is stated once.
"""

from datetime import timedelta

from integrations.enqueue import (
    CONFIRM_SCHEDULED_ORDERS,
    PURGE_OLD_RECORDS,
    RECONCILE_ORDERS,
    SWEEP_DUE_JOBS,
    SWEEP_WEBHOOK_EVENTS,
)

BEAT_SCHEDULE = {
    "sweep-webhook-events": {"task": SWEEP_WEBHOOK_EVENTS, "schedule": timedelta(seconds=30)},
    "reconcile-orders": {"task": RECONCILE_ORDERS, "schedule": timedelta(seconds=60)},
    "sweep-due-sync-jobs": {"task": SWEEP_DUE_JOBS, "schedule": timedelta(seconds=10)},
    # Scheduled orders confirmed before their confirm-by time (integrations/outbound/scheduled_confirmations.py).
    "confirm-scheduled-orders": {"task": CONFIRM_SCHEDULED_ORDERS, "schedule": timedelta(seconds=30)},
    # Retention (integrations/retention.py): old webhook payloads, finished sync jobs, channel calls.
    "purge-old-records": {"task": PURGE_OLD_RECORDS, "schedule": timedelta(hours=1)},
}
