"""Retention: old rows go, recent ones and the ones someone must still act on stay."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from integrations.models import ChannelCall, SyncAttempt, SyncJob, WebhookEvent
from integrations.retention import purge_old_records
from sinqro_platform.celery import app
from tests.factories.integrations import ChannelCallFactory, ConnectionFactory

pytestmark = pytest.mark.django_db

OLD = timedelta(days=45)
RECENT = timedelta(days=2)


@pytest.fixture(autouse=True)
def periods(settings):
    settings.RETENTION_WEBHOOK_EVENTS_DAYS = 30
    settings.RETENTION_SYNC_JOBS_DAYS = 30
    settings.RETENTION_CHANNEL_CALLS_DAYS = 14
    settings.RETENTION_BATCH_SIZE = 3  # several batches even with a few rows
    settings.RETENTION_MAX_SECONDS = 60


@pytest.fixture
def connection():
    return ConnectionFactory()


def event(connection, state, age, key):
    return WebhookEvent.objects.create(
        connection=connection, dedup_key=key, body=b"{}", state=state, received_at=timezone.now() - age
    )


def job(connection, state, age, kind=SyncJob.Kind.ORDER_STATUS, finished_age=None):
    at = timezone.now() - age
    finished = None if state in ("pending", "running") else timezone.now() - (finished_age or age)
    created = SyncJob.objects.create(
        connection=connection, kind=kind, payload={}, state=state, created_at=at, finished_at=finished
    )
    attempt = SyncAttempt.objects.create(job=created, number=1, outcome="ok", started_at=at)
    call = ChannelCallFactory(connection=connection, sync_attempt=attempt)
    ChannelCall.objects.filter(pk=call.pk).update(created_at=at)
    return created


def test_old_processed_and_ignored_webhook_events_go_the_rest_stays(connection):
    gone = [event(connection, state, OLD, f"old-{state}") for state in ("processed", "ignored")]
    kept = [event(connection, state, OLD, f"old-{state}") for state in ("received", "processing", "failed")]
    kept += [event(connection, "processed", RECENT, "recent")]

    report = purge_old_records()

    assert report.webhook_events == 2 and report.finished
    assert not WebhookEvent.objects.filter(pk__in=[e.pk for e in gone]).exists()
    assert set(WebhookEvent.objects.values_list("pk", flat=True)) == {e.pk for e in kept}


def test_old_finished_jobs_go_with_their_attempts_pending_running_and_failed_stay(connection):
    gone = [job(connection, state, OLD) for state in ("succeeded", "superseded", "cancelled")]
    kept = [job(connection, state, OLD) for state in ("pending", "running", "failed")]
    kept += [job(connection, "succeeded", RECENT), job(connection, "succeeded", OLD, finished_age=RECENT)]

    report = purge_old_records()

    assert report.sync_jobs == 3 and report.sync_attempts == 3
    assert set(SyncJob.objects.values_list("pk", flat=True)) == {j.pk for j in kept}
    assert SyncAttempt.objects.filter(job__in=gone).count() == 0
    assert SyncAttempt.objects.filter(job__in=kept).count() == len(kept)


def test_the_newest_catalog_job_of_each_connection_stays_for_the_status_page(connection):
    older = job(connection, "succeeded", OLD + timedelta(days=1), kind=SyncJob.Kind.CATALOG)
    newest = job(connection, "succeeded", OLD, kind=SyncJob.Kind.CATALOG)
    other = job(ConnectionFactory(), "succeeded", OLD, kind=SyncJob.Kind.CATALOG)

    purge_old_records()

    assert set(SyncJob.objects.values_list("pk", flat=True)) == {newest.pk, other.pk}
    assert not SyncJob.objects.filter(pk=older.pk).exists()


def test_old_channel_calls_go_except_the_evidence_of_a_failed_or_unfinished_job(connection, settings):
    settings.RETENTION_SYNC_JOBS_DAYS = 0  # jobs kept: only the calls' own period applies
    succeeded = job(connection, "succeeded", timedelta(days=20))
    failed = job(connection, "failed", timedelta(days=20))
    pending = job(connection, "pending", timedelta(days=20))
    unlinked = ChannelCallFactory(connection=connection)
    ChannelCall.objects.filter(pk=unlinked.pk).update(created_at=timezone.now() - timedelta(days=20))
    recent = ChannelCallFactory(connection=connection)

    report = purge_old_records()

    assert report.channel_calls == 2 and report.sync_jobs == 0
    left = set(ChannelCall.objects.values_list("sync_attempt__job_id", "pk"))
    assert {job_id for job_id, _ in left} == {failed.pk, pending.pk, None}
    assert (None, recent.pk) in left and (None, unlinked.pk) not in left
    assert SyncJob.objects.filter(pk=succeeded.pk).exists()


def test_a_zero_period_keeps_everything(connection, settings):
    settings.RETENTION_WEBHOOK_EVENTS_DAYS = settings.RETENTION_SYNC_JOBS_DAYS = 0
    settings.RETENTION_CHANNEL_CALLS_DAYS = 0
    event(connection, "processed", timedelta(days=3650), "ancient")
    job(connection, "succeeded", timedelta(days=3650))

    report = purge_old_records()

    assert (report.webhook_events, report.sync_jobs, report.channel_calls) == (0, 0, 0)
    assert WebhookEvent.objects.count() == SyncJob.objects.count() == ChannelCall.objects.count() == 1


def test_a_spent_time_budget_stops_and_says_so(connection):
    for index in range(5):
        event(connection, "processed", OLD, f"e{index}")

    report = purge_old_records(max_seconds=0)

    assert not report.finished and WebhookEvent.objects.count() == 5
    assert purge_old_records().finished and WebhookEvent.objects.count() == 0


def test_the_purge_is_a_celery_task_beat_runs_every_hour(connection):
    event(connection, "processed", OLD, "old")
    entry = app.conf.beat_schedule["purge-old-records"]

    assert entry["task"] == "integrations.maintenance.purge_old_records"
    assert entry["schedule"] == timedelta(hours=1)
    import integrations.tasks  # noqa: F401 - what the worker's autodiscovery imports

    task = app.tasks[entry["task"]]
    assert task.apply().get()["webhook_events"] == 1
    assert not WebhookEvent.objects.exists()
