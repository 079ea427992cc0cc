"""Which outbound jobs go first: what a waiting customer, courier or kitchen feels in seconds, before menus.

Two Celery queues, so a 5,000-product publish or a week of opening hours never
sits in front of an "accepted" (README "Running in production" says which
workers consume which). A job is published under its queue's task name
(``task_name``, names in ``integrations.enqueue``); the routing of names to
queues is in settings (``CELERY_TASK_ROUTES``).
"""

from __future__ import annotations

from integrations.enqueue import RUN_BULK_SYNC_JOB, RUN_SYNC_JOB
from integrations.models import SyncJob

Kind = SyncJob.Kind

URGENT_KINDS: frozenset[str] = frozenset(
    {Kind.ORDER_STATUS, Kind.DELIVERY_LOCATION, Kind.PAUSE, Kind.RESUME, Kind.CATALOG_ITEMS}
)
BULK_KINDS: frozenset[str] = frozenset({Kind.CATALOG, Kind.OPENING_HOURS})


def is_urgent(kind: str) -> bool:
    """Unknown kinds are urgent: a new kind must never wait behind catalogs by accident."""
    return kind not in BULK_KINDS


def task_name(kind: str) -> str:
    """The task a job of ``kind`` is published as: its name routes it to the urgent or the bulk queue."""
    return RUN_SYNC_JOB if is_urgent(kind) else RUN_BULK_SYNC_JOB
