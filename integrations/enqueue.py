"""Celery tasks reached by name, so services never import task modules (and no import circle forms).

A service that hands work to a worker calls ``enqueue(TASK_NAME, *args)``, usually from
``transaction.on_commit``. Publishing never raises: a broker that is down must not undo the
transaction that already committed the row. The periodic sweepers are the safety net for a
publish that was lost (inbound: ``sweep_webhook_events``; outbound: ``sweep_due_jobs``).

Every task name is stated here once: the task modules register their tasks under these
constants, and the beat schedule (``sinqro_platform/beat.py``) and the routes to queues
(``CELERY_TASK_ROUTES`` in settings) use them too. The names are the ones the tasks always
had, so messages already queued and beat rows already stored still find their task.
This module imports nothing of ours: settings may import it.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import current_app

log = logging.getLogger(__name__)

# inbound
PROCESS_WEBHOOK_EVENT = "integrations.inbound.tasks.process_webhook_event"
DRAIN_RECEIVED_EVENTS = "integrations.inbound.tasks.drain_received_events"
SWEEP_WEBHOOK_EVENTS = "integrations.inbound.tasks.sweep_webhook_events"
RECONCILE_ORDERS = "integrations.inbound.tasks.reconcile_orders"
# outbound
RUN_SYNC_JOB = "integrations.outbound.tasks.run_sync_job"
RUN_BULK_SYNC_JOB = "integrations.outbound.tasks.run_bulk_sync_job"
SWEEP_DUE_JOBS = "integrations.outbound.tasks.sweep_due_jobs"
CONFIRM_SCHEDULED_ORDERS = "integrations.outbound.scheduled_confirmation_tasks.confirm_scheduled_orders"
# validation
RUN_VALIDATION = "integrations.validation.run_validation"
# maintenance
PURGE_OLD_RECORDS = "integrations.maintenance.purge_old_records"


def enqueue(name: str, *args: Any, countdown: float | None = None) -> bool:
    """Publish task ``name`` with ``args`` (routed to its queue by name); False, logged, when it could not be.

    With ``task_always_eager`` (a test's choice) the task runs here and now, as ``delay`` would:
    ``send_task`` ignores that setting, and the countdown is ignored as Celery does eagerly.
    """
    app = current_app
    try:
        if app.conf.task_always_eager:
            _registered(app, name).apply(args=args)
        else:
            app.send_task(name, args=args, countdown=countdown)
    except Exception:  # the broker or the connection to it; the sweepers will find the row
        log.exception("could not publish %s%r; the sweeper will pick it up", name, args)
        return False
    return True


def _registered(app: Any, name: str) -> Any:
    """The task object (eager runs only): the task modules are imported the way a worker imports them."""
    if name not in app.tasks:
        app.loader.import_default_modules()  # autodiscovery (sinqro_platform/celery.py)
    return app.tasks[name]
