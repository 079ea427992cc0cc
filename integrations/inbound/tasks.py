"""Celery tasks for inbound processing (thin: call a service), registered under ``integrations.enqueue``'s names.

Nothing imports this module but Celery's discovery (``integrations/tasks.py``): services publish
by name, so no import leads back here from the services it calls.
"""

from __future__ import annotations

from celery import shared_task

from integrations import enqueue

from . import attention, draining, processing, reconciliation, sweeping

__all__ = ["drain_received_events", "process_webhook_event", "reconcile_orders", "sweep_webhook_events"]


@shared_task(name=enqueue.PROCESS_WEBHOOK_EVENT, bind=True, acks_late=True, max_retries=None)
def process_webhook_event(self, event_id: int) -> str:
    """Process one stored webhook; a channel hiccup while fetching retries with backoff and jitter."""
    try:
        return processing.process_webhook_event(event_id).state
    except processing.RetryLater as exc:
        raise self.retry(countdown=exc.delay(self.request.retries)) from exc


@shared_task(name=enqueue.DRAIN_RECEIVED_EVENTS, acks_late=True)
def drain_received_events(helping: bool = False) -> dict[str, int]:
    """Process the newly stored events (woken by the webhook endpoint); hand on to a new drain if more wait.

    ``helping``: called by another drain to share its events; calls no helpers of its own.
    """
    report = draining.drain_and_hand_on(helping=helping)
    return {"processed": len(report.processed), "retrying": len(report.retrying), "taken": report.taken_by_others}


@shared_task(name=enqueue.SWEEP_WEBHOOK_EVENTS)
def sweep_webhook_events() -> int:
    """Re-enqueue events a lost enqueue or a crashed worker left unprocessed."""
    return len(sweeping.sweep())


@shared_task(name=enqueue.RECONCILE_ORDERS)
def reconcile_orders() -> dict[str, int]:
    """Heal lost status webhooks, and flag (or unflag) orders nobody acted on."""
    report = reconciliation.reconcile_open_orders()
    flagged = attention.flag_waiting_orders()
    cleared = attention.clear_moved_on()
    return {
        "checked": report.checked,
        "moved": len(report.moved),
        "failed": len(report.failed),
        "flagged": flagged,
        "cleared": cleared,
    }
