"""Celery tasks reached by name, so services never import task modules (and no import circle forms).

A service that hands work to a worker calls ``enqueue(TASK_NAME, *args)``, usually from
``transaction.on_commit``. Publishing never raises: a broker that is down must not undo the
transaction that already committed the row. The periodic sweepers are the safety net for a
publish that was lost (inbound: ``sweep_stuck_events``; outbound: ``sweep_due_jobs``).

Routing to queues is by these names (``CELERY_TASK_ROUTES`` in settings). The task modules
register their tasks under the same constants.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import current_app

log = logging.getLogger(__name__)

# inbound
PROCESS_WEBHOOK_EVENT = "integrations.inbound.tasks.process_webhook_event"
DRAIN_RECEIVED_EVENTS = "integrations.inbound.tasks.drain_received_events"
# outbound
RUN_SYNC_JOB = "integrations.outbound.tasks.run_sync_job"
RUN_BULK_SYNC_JOB = "integrations.outbound.tasks.run_bulk_sync_job"
SWEEP_DUE_JOBS = "integrations.outbound.tasks.sweep_due_jobs"
# validation
RUN_VALIDATION = "integrations.validation.run_validation"


def enqueue(name: str, *args: Any, countdown: float | None = None) -> bool:
    """Publish task ``name`` with ``args``; False (logged) when the broker would not take it.

    With ``task_always_eager`` (a test's choice) the task runs here and now, as ``delay`` would.
    """
    app = current_app
    try:
        if app.conf.task_always_eager:
            app.tasks[name].apply(args=args)
        else:
            app.send_task(name, args=args, countdown=countdown)
    except Exception:  # the broker or the connection to it; the sweepers will find the row
        log.exception("could not publish %s%r; the sweeper will pick it up", name, args)
        return False
    return True
