"""Writing the outbox: one ``SyncJob`` per connection that must hear about a change.

Services call ``record_job`` inside the transaction that changes the domain,
so the change and the promise to tell the channel commit together or not at
all. The job is handed to the broker only after commit (``on_commit``), by
task name (``integrations.enqueue``); if that hand-off is lost, the sweeper
finds the job by ``next_attempt_at``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from integrations.channels.base import ChannelModule
from integrations.channels.features import Feature
from integrations.channels.registry import UnknownChannelModule, get_module
from integrations.enqueue import enqueue as publish
from integrations.models import Connection, SyncJob

from .priority import task_name

logger = logging.getLogger("integrations.outbound")


def supporting(connections: Iterable[Connection], feature: Feature) -> list[tuple[Connection, ChannelModule]]:
    """The enabled connections (of enabled channels) whose module supports ``feature``; NotSupported → no job."""
    found = []
    for connection in connections:
        if not (connection.enabled and connection.channel.enabled):
            continue
        try:
            module = get_module(connection.channel.module)
        except UnknownChannelModule:
            logger.warning(
                "connection %s uses an unknown module %r: no sync job", connection.pk, connection.channel.module
            )
            continue
        if module.features.supports(feature):
            found.append((connection, module))
    return found


def restaurant_connections(restaurant_id: int) -> list[Connection]:
    return list(Connection.objects.filter(restaurant_id=restaurant_id).select_related("channel", "restaurant"))


def record_job(
    connection: Connection,
    kind: str,
    payload: dict[str, Any],
    *,
    target: str,
    order_id: int | None = None,
    ordering_key: str = "",
    coalesce_key: str = "",
    deadline_at: datetime | None = None,
    correlation_id: str | None = None,
    not_before: datetime | None = None,
) -> SyncJob:
    """Write a pending job (inside the caller's transaction) and enqueue it after commit.

    A ``coalesce_key`` supersedes the connection's older *pending* jobs with the
    same key: only the newest state needs to travel. A job already waiting on an
    asynchronous publish (it has a transaction id) is not superseded: the
    channel is working on it.
    """
    now = timezone.now()
    with transaction.atomic():
        job = SyncJob.objects.create(
            connection=connection,
            kind=kind,
            order_id=order_id,
            target=target[:200],
            ordering_key=ordering_key,
            coalesce_key=coalesce_key,
            payload=payload,
            max_attempts=settings.OUTBOUND_MAX_ATTEMPTS,
            next_attempt_at=max(now, not_before) if not_before else now,
            deadline_at=deadline_at,
            **({"correlation_id": correlation_id} if correlation_id else {}),
        )
        if coalesce_key:
            supersede_older(job)
    delay = (job.next_attempt_at - now).total_seconds()
    transaction.on_commit(lambda: enqueue(job.pk, job.kind, countdown=delay if delay > 0 else None))
    return job


def supersede_older(job: SyncJob) -> int:
    """Mark older pending jobs with the same coalesce key superseded by ``job``."""
    return (
        SyncJob.objects.filter(
            connection_id=job.connection_id, coalesce_key=job.coalesce_key, state=SyncJob.State.PENDING, id__lt=job.pk
        )
        .exclude(result__has_key="transaction_id")
        .update(
            state=SyncJob.State.SUPERSEDED,
            finished_at=timezone.now(),
            last_error=f"superseded by job {job.pk}",
        )
    )


def enqueue(job_id: int, kind: str, countdown: float | None = None) -> bool:
    """Hand the job to a worker, on its kind's queue (``priority``); never raises (the sweeper runs what is lost).

    False only when the broker would not take it (logged): the job is safe in the database.
    A wait longer than ``OUTBOUND_COUNTDOWN_MAX_SECONDS`` is left to the sweeper on purpose
    (a broker countdown would sit in a worker's memory): nothing is published, and that is True.
    """
    if countdown is not None and countdown > settings.OUTBOUND_COUNTDOWN_MAX_SECONDS:
        return True
    return publish(task_name(kind), job_id, countdown=countdown)
