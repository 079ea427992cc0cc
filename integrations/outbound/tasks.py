"""Celery tasks for the outbox (thin: load a row, call a service)."""

from __future__ import annotations

from celery import shared_task

from . import runner, sweeper

__all__ = ["run_bulk_sync_job", "run_sync_job", "sweep_due_jobs"]


@shared_task(name="integrations.outbound.tasks.run_sync_job", ignore_result=True)
def run_sync_job(job_id: int) -> str:
    """An urgent job (order status, driver location, pause): the ``outbound_urgent`` queue."""
    return runner.run_sync_job(job_id)


@shared_task(name="integrations.outbound.tasks.run_bulk_sync_job", ignore_result=True)
def run_bulk_sync_job(job_id: int) -> str:
    """A bulk job (catalog, opening hours): the ``outbound_bulk`` queue, consumed by its own workers."""
    return runner.run_sync_job(job_id)


@shared_task(name="integrations.outbound.tasks.sweep_due_jobs", ignore_result=True)
def sweep_due_jobs() -> dict[str, int]:
    return sweeper.sweep_due_jobs()
