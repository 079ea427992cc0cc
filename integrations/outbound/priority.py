"""Which outbound jobs go first: what a waiting customer, courier or kitchen feels in seconds, before menus.

Two Celery queues, so a 5,000-product publish or a week of opening hours never
sits in front of an "accepted" (README "Running in production" says which
workers consume which). The routing itself is in settings (``CELERY_TASK_ROUTES``):
one task name per queue.
"""

from __future__ import annotations

from typing import Any

from integrations.models import SyncJob

Kind = SyncJob.Kind

URGENT_KINDS: frozenset[str] = frozenset(
    {Kind.ORDER_STATUS, Kind.DELIVERY_LOCATION, Kind.PAUSE, Kind.RESUME, Kind.CATALOG_ITEMS}
)
BULK_KINDS: frozenset[str] = frozenset({Kind.CATALOG, Kind.OPENING_HOURS})


def is_urgent(kind: str) -> bool:
    """Unknown kinds are urgent: a new kind must never wait behind catalogs by accident."""
    return kind not in BULK_KINDS


def task_for(kind: str) -> Any:
    from .tasks import run_bulk_sync_job, run_sync_job

    return run_sync_job if is_urgent(kind) else run_bulk_sync_job
