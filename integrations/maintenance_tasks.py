"""Celery tasks that keep the database in shape (thin: call a service)."""

from __future__ import annotations

from celery import shared_task

from . import enqueue, retention

__all__ = ["purge_old_records"]


@shared_task(name=enqueue.PURGE_OLD_RECORDS, ignore_result=True)
def purge_old_records() -> dict[str, object]:
    """Delete webhook payloads, finished sync jobs and channel calls past their retention period."""
    return retention.purge_old_records().as_dict()
