"""Celery tasks for the outbox (thin: call a service), registered under ``integrations.enqueue``'s names.

Nothing imports this module but Celery's discovery (``integrations/tasks.py``): the outbox
publishes jobs by name, so the runner and the sweeper never lead back here.
"""

from __future__ import annotations

from celery import shared_task

from integrations import enqueue

from . import runner, sweeper

__all__ = ["run_bulk_sync_job", "run_sync_job", "sweep_due_jobs"]


@shared_task(name=enqueue.RUN_SYNC_JOB, ignore_result=True)
def run_sync_job(job_id: int) -> str:
    """An urgent job (order status, driver location, pause): the ``outbound_urgent`` queue."""
    return runner.run_sync_job(job_id)


@shared_task(name=enqueue.RUN_BULK_SYNC_JOB, ignore_result=True)
def run_bulk_sync_job(job_id: int) -> str:
    """A bulk job (catalog, opening hours): the ``outbound_bulk`` queue, consumed by its own workers."""
    return runner.run_sync_job(job_id)


@shared_task(name=enqueue.SWEEP_DUE_JOBS, ignore_result=True)
def sweep_due_jobs() -> dict[str, int]:
    """Run due jobs whatever the broker did, and rescue jobs a dead worker left running (beat, every 10 s)."""
    return sweeper.sweep_due_jobs()
