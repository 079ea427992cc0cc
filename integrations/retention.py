"""Retention: delete old raw webhook payloads, finished sync jobs (with their attempts) and channel call records.

Run hourly by beat (``integrations.maintenance.purge_old_records``); each
kind of row has its own period in settings (``RETENTION_*_DAYS``, 0 keeps
it forever). Deletes go in batches of ``RETENTION_BATCH_SIZE`` primary keys,
each its own short transaction, so a purge never holds long locks; after
``RETENTION_MAX_SECONDS`` it stops and the next run goes on.

Never deleted, whatever their age, because someone still has to act on them
or they are the last word on something:

* webhook events that are not ``processed`` or ``ignored``: ``received`` and
  ``processing`` ones still have to be processed, ``failed`` ones wait for a
  fix and a re-process (the reliability rule: nothing a channel sent is lost);
* sync jobs that are ``pending``, ``running`` or ``failed`` (a failed job is
  staff's to retry or cancel), with their attempts;
* channel calls made by an attempt of such a job (the evidence of its error);
* the newest catalog job of each connection (the status page's "Menu
  publish" line).

Hosted documents (``integrations/hosting.py``, e.g. Glovo's menu file) go as soon as they expire: once past
``expires_at`` they are no longer served, so nothing needs them.

After its webhook event is gone, a redelivery of a very old webhook is
stored and processed again; order processing is idempotent (duplicate and
stale statuses are no-ops), so the period only needs to exceed how long a
channel keeps redelivering (hours to days).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from .hosting import expired_documents
from .models import ChannelCall, HostedDocument, SyncJob, WebhookEvent

logger = logging.getLogger("integrations.retention")

PURGEABLE_EVENT_STATES = (WebhookEvent.State.PROCESSED, WebhookEvent.State.IGNORED)
PURGEABLE_JOB_STATES = (SyncJob.State.SUCCEEDED, SyncJob.State.SUPERSEDED, SyncJob.State.CANCELLED)
KEPT_JOB_STATES = (SyncJob.State.PENDING, SyncJob.State.RUNNING, SyncJob.State.FAILED)
CATALOG_KINDS = (SyncJob.Kind.CATALOG, SyncJob.Kind.CATALOG_ITEMS)


@dataclass
class PurgeReport:
    channel_calls: int = 0
    sync_jobs: int = 0
    sync_attempts: int = 0
    webhook_events: int = 0
    hosted_documents: int = 0
    finished: bool = True  # False: the time budget ran out, the next run goes on
    cutoffs: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {
            "channel_calls": self.channel_calls,
            "sync_jobs": self.sync_jobs,
            "sync_attempts": self.sync_attempts,
            "webhook_events": self.webhook_events,
            "hosted_documents": self.hosted_documents,
            "finished": self.finished,
            "cutoffs": self.cutoffs,
        }


def purge_old_records(
    now: datetime | None = None, *, batch_size: int | None = None, max_seconds: float | None = None
) -> PurgeReport:
    """Delete what is past its retention period (see the module's docstring for what never goes)."""
    now = now or timezone.now()
    batch_size = batch_size or settings.RETENTION_BATCH_SIZE
    deadline = time.monotonic() + (settings.RETENTION_MAX_SECONDS if max_seconds is None else max_seconds)
    report = PurgeReport()

    # Calls first: the ones still linked to a purgeable job go here or with the job.
    cutoff = _cutoff(now, settings.RETENTION_CHANNEL_CALLS_DAYS)
    if cutoff is not None:
        report.cutoffs["channel_calls"] = cutoff.isoformat()
        calls = purgeable_channel_calls(cutoff)
        report.channel_calls, done = _delete_in_batches(ChannelCall, calls, batch_size, deadline)
        report.finished &= done

    cutoff = _cutoff(now, settings.RETENTION_SYNC_JOBS_DAYS)
    if cutoff is not None and report.finished:
        report.cutoffs["sync_jobs"] = cutoff.isoformat()
        jobs = purgeable_sync_jobs(cutoff)
        while time.monotonic() < deadline:
            ids = list(jobs.values_list("pk", flat=True)[:batch_size])
            if not ids:
                break
            with transaction.atomic():
                _, deleted = SyncJob.objects.filter(pk__in=ids).delete()
            report.sync_jobs += deleted.get(SyncJob._meta.label, 0)
            report.sync_attempts += deleted.get("integrations.SyncAttempt", 0)
            if len(ids) < batch_size:
                break
        else:
            report.finished = False

    cutoff = _cutoff(now, settings.RETENTION_WEBHOOK_EVENTS_DAYS)
    if cutoff is not None and report.finished:
        report.cutoffs["webhook_events"] = cutoff.isoformat()
        events = WebhookEvent.objects.filter(state__in=PURGEABLE_EVENT_STATES, received_at__lt=cutoff)
        report.webhook_events, done = _delete_in_batches(WebhookEvent, events, batch_size, deadline)
        report.finished &= done

    if report.finished:
        report.hosted_documents, done = _delete_in_batches(HostedDocument, expired_documents(now), batch_size,
                                                           deadline)
        report.finished &= done

    if report.channel_calls or report.sync_jobs or report.webhook_events or report.hosted_documents:
        logger.info("retention purge: %s", report.as_dict())
    return report


def purgeable_channel_calls(cutoff: datetime) -> QuerySet[ChannelCall]:
    """Calls older than ``cutoff``, except those of an attempt of a job still pending, running or failed."""
    return ChannelCall.objects.filter(created_at__lt=cutoff).exclude(sync_attempt__job__state__in=KEPT_JOB_STATES)


def purgeable_sync_jobs(cutoff: datetime) -> QuerySet[SyncJob]:
    """Finished jobs created and finished before ``cutoff``, except each connection's newest catalog job."""
    newest_catalog = (
        SyncJob.objects.filter(kind__in=CATALOG_KINDS)
        .exclude(state=SyncJob.State.SUPERSEDED)
        .values("connection_id")
        .annotate(newest=Max("id"))
        .values("newest")
    )
    return (
        SyncJob.objects.filter(state__in=PURGEABLE_JOB_STATES, created_at__lt=cutoff)
        .filter(Q(finished_at__isnull=True) | Q(finished_at__lt=cutoff))
        .exclude(pk__in=newest_catalog)
        .order_by()
    )


def _cutoff(now: datetime, days: int) -> datetime | None:
    return now - timedelta(days=days) if days > 0 else None


def _delete_in_batches(model, queryset: QuerySet, batch_size: int, deadline: float) -> tuple[int, bool]:
    """Delete ``queryset`` ``batch_size`` rows at a time; (rows deleted, whether it got to the end)."""
    total = 0
    while time.monotonic() < deadline:
        ids = list(queryset.order_by().values_list("pk", flat=True)[:batch_size])
        if not ids:
            return total, True
        with transaction.atomic():
            _, per_model = model.objects.filter(pk__in=ids).delete()
        total += per_model.get(model._meta.label, 0)
        if len(ids) < batch_size:
            return total, True
    return total, False
