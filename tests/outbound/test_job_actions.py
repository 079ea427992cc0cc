"""Staff's transitions of sync jobs, without admin: retry, cancel, retry all failed; each refusal says why."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from integrations.enqueue import RUN_BULK_SYNC_JOB, RUN_SYNC_JOB
from integrations.models import SyncJob
from integrations.outbound.job_actions import (
    CANCELLED_BY_STAFF,
    Refusal,
    cancel_jobs,
    retry_failed_jobs,
    retry_jobs,
)
from tests.factories.integrations import ChannelFactory, ConnectionFactory, SyncJobFactory

pytestmark = pytest.mark.django_db

State = SyncJob.State


def jobs_published(published) -> list[int]:
    return [message.args[0] for message in published if message.task in (RUN_SYNC_JOB, RUN_BULK_SYNC_JOB)]


def test_retrying_a_failed_job_makes_it_pending_due_now_and_publishes_it_once(
    published, settings, django_capture_on_commit_callbacks
):
    job = SyncJobFactory(state=State.FAILED, attempts=8, max_attempts=8, finished_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        done = retry_jobs([job.pk])

    job.refresh_from_db()
    assert done.changed == (job.pk,) and done.refused == ()
    assert job.state == State.PENDING and job.next_attempt_at <= timezone.now() and job.finished_at is None
    assert (job.attempts, job.max_attempts) == (8, 8 + settings.OUTBOUND_MAX_ATTEMPTS)
    assert jobs_published(published) == [job.pk]


def test_nothing_is_published_before_the_retry_commits(published, django_capture_on_commit_callbacks):
    job = SyncJobFactory()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        retry_jobs([job.pk])

    assert jobs_published(published) == [] and len(callbacks) == 1


@pytest.mark.parametrize(
    ("state", "reason"),
    [
        (State.RUNNING, "a worker is running it now"),
        (State.SUCCEEDED, "it already succeeded"),
        (State.SUPERSEDED, "a newer job carries the same change (superseded by job 7)"),
        (State.CANCELLED, "it was cancelled"),
    ],
)
def test_retrying_a_job_that_is_running_or_finished_is_refused_with_the_reason(
    state, reason, published, django_capture_on_commit_callbacks
):
    job = SyncJobFactory(state=state, last_error="superseded by job 7" if state == State.SUPERSEDED else "")

    with django_capture_on_commit_callbacks(execute=True):
        done = retry_jobs([job.pk])

    [refusal] = done.refused
    assert done.changed == () and refusal.job_id == job.pk and refusal.reason.startswith(reason)
    assert SyncJob.objects.get(pk=job.pk).state == state
    assert jobs_published(published) == []


def test_retrying_a_job_past_its_deadline_is_refused_because_the_channel_no_longer_wants_it(published):
    job = SyncJobFactory(deadline_at=timezone.now() - timedelta(minutes=1))

    done = retry_jobs([job.pk])

    assert done.changed == ()
    assert "the channel no longer wants it" in done.refused[0].reason
    assert SyncJob.objects.get(pk=job.pk).state == State.FAILED


def test_retrying_a_job_that_does_not_exist_is_refused():
    assert retry_jobs([123456]).refused == (Refusal(123456, "there is no such job"),)


@pytest.mark.parametrize("state", [State.PENDING, State.FAILED])
def test_cancelling_a_pending_or_failed_job_finishes_it_and_says_staff_did(state, published):
    job = SyncJobFactory(state=state)

    done = cancel_jobs([job.pk])

    job.refresh_from_db()
    assert done.changed == (job.pk,)
    assert (job.state, job.last_error) == (State.CANCELLED, CANCELLED_BY_STAFF) and job.finished_at is not None
    assert jobs_published(published) == []


@pytest.mark.parametrize(
    ("state", "reason"),
    [
        (State.SUCCEEDED, "it already succeeded: the channel has it"),
        (State.RUNNING, "a worker is running it now: its call may already be reaching the channel"),
        (State.SUPERSEDED, "it is already finished: a newer job superseded it"),
        (State.CANCELLED, "it is already cancelled"),
    ],
)
def test_cancelling_a_succeeded_running_or_finished_job_is_refused(state, reason):
    job = SyncJobFactory(state=state, last_error="")

    done = cancel_jobs([job.pk])

    assert done.changed == () and done.refused == (Refusal(job.pk, reason),)
    assert SyncJob.objects.get(pk=job.pk).state == state


def test_retrying_all_failed_of_a_connection_takes_its_failed_jobs_only(
    published, django_capture_on_commit_callbacks
):
    connection, other = ConnectionFactory(), ConnectionFactory()
    failed = [SyncJobFactory(connection=connection), SyncJobFactory(connection=connection)]
    pending = SyncJobFactory(connection=connection, state=State.PENDING)
    succeeded = SyncJobFactory(connection=connection, state=State.SUCCEEDED)
    elsewhere = SyncJobFactory(connection=other)

    with django_capture_on_commit_callbacks(execute=True):
        done = retry_failed_jobs(connection_ids=[connection.pk])

    assert sorted(done.changed) == sorted(job.pk for job in failed) and done.refused == ()
    assert sorted(jobs_published(published)) == sorted(job.pk for job in failed)
    assert SyncJob.objects.get(pk=pending.pk).max_attempts == pending.max_attempts  # already on its way
    assert SyncJob.objects.get(pk=succeeded.pk).state == State.SUCCEEDED
    assert SyncJob.objects.get(pk=elsewhere.pk).state == State.FAILED


def test_retrying_all_failed_of_a_channel_takes_every_connection_of_it():
    channel = ChannelFactory()
    mine = [SyncJobFactory(connection=ConnectionFactory(channel=channel)) for _ in range(2)]
    elsewhere = SyncJobFactory()

    done = retry_failed_jobs(channel_ids=[channel.pk])

    assert sorted(done.changed) == sorted(job.pk for job in mine)
    assert SyncJob.objects.get(pk=elsewhere.pk).state == State.FAILED


def test_retrying_all_failed_leaves_a_job_past_its_deadline_failed_and_groups_the_reason():
    connection = ConnectionFactory()
    retried = SyncJobFactory(connection=connection)
    an_hour_ago = timezone.now() - timedelta(hours=1)
    too_late = [SyncJobFactory(connection=connection, deadline_at=an_hour_ago) for _ in range(2)]

    done = retry_failed_jobs(connection_ids=[connection.pk])

    assert done.changed == (retried.pk,)
    [(reason, ids)] = done.refusals_by_reason().items()
    assert "deadline passed" in reason and ids == sorted(job.pk for job in too_late)
    assert set(SyncJob.objects.filter(pk__in=ids).values_list("state", flat=True)) == {State.FAILED}


def test_retrying_all_failed_of_nothing_changes_nothing():
    SyncJobFactory()

    assert retry_failed_jobs().changed == ()
    assert SyncJob.objects.get().state == State.FAILED
