"""Handing jobs to the broker: after commit, by task name; a broker that is down loses nothing."""

from __future__ import annotations

import logging

import pytest

from integrations.enqueue import RUN_SYNC_JOB
from integrations.models import SyncJob
from integrations.outbound import outbox, sweeper
from tests.factories.integrations import ConnectionFactory
from tests.unreachable_broker import unreachable_broker

pytestmark = pytest.mark.django_db


def test_a_job_the_broker_refuses_stays_pending_and_the_sweeper_publishes_it(
    enqueued, caplog, django_capture_on_commit_callbacks
):
    connection = ConnectionFactory()

    with unreachable_broker(), caplog.at_level(logging.ERROR, logger="integrations.enqueue"):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            job = outbox.record_job(connection, SyncJob.Kind.PAUSE, {"minutes": 30}, target="pause")
        assert len(callbacks) == 1  # the after-commit publish ran, and did not raise
        assert outbox.enqueue(job.pk, job.kind) is False

    assert [record.getMessage() for record in caplog.records] == [
        f"could not publish {RUN_SYNC_JOB}({job.pk},); the sweeper will pick it up"
    ] * 2
    job.refresh_from_db()
    assert job.state == SyncJob.State.PENDING and job.attempts == 0

    enqueued.clear()  # the refused attempts were announced before the broker refused them
    report = sweeper.sweep_due_jobs()  # the broker is back

    assert report["enqueued"] == 1
    assert enqueued == [(job.pk, None)]


def test_a_long_wait_is_left_to_the_sweeper_without_a_publish(enqueued, settings):
    settings.OUTBOUND_COUNTDOWN_MAX_SECONDS = 30

    assert outbox.enqueue(7, SyncJob.Kind.PAUSE, countdown=31) is True
    assert outbox.enqueue(8, SyncJob.Kind.PAUSE, countdown=2) is True

    assert [job_id for job_id, _ in enqueued] == [8]
    assert 1 < enqueued[0][1] <= 2
