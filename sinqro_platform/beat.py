"""Periodic tasks (django-celery-beat syncs this schedule into its tables on start)."""

from datetime import timedelta

BEAT_SCHEDULE = {
    "sweep-webhook-events": {
        "task": "integrations.inbound.tasks.sweep_webhook_events",
        "schedule": timedelta(seconds=30),
    },
    "reconcile-orders": {"task": "integrations.inbound.tasks.reconcile_orders", "schedule": timedelta(seconds=60)},
    "sweep-due-sync-jobs": {"task": "integrations.outbound.tasks.sweep_due_jobs", "schedule": timedelta(seconds=10)},
    # Retention (integrations/retention.py): old webhook payloads, finished sync jobs, channel calls.
    "purge-old-records": {"task": "integrations.maintenance.purge_old_records", "schedule": timedelta(hours=1)},
}
