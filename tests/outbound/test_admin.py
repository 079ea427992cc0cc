"""Admin review of sync jobs: filters, attempts with their calls, actions that are registered and work."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from integrations.admin.outbound import SyncJobAdmin
from integrations.models import SyncAttempt, SyncJob
from tests.factories.integrations import ChannelCallFactory, ConnectionFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:integrations_syncjob_changelist"


def job(connection, **fields):
    defaults = {"kind": SyncJob.Kind.PAUSE, "payload": {}, "target": "pause", "state": SyncJob.State.FAILED,
                "last_error": "boom"}
    return SyncJob.objects.create(connection=connection, **{**defaults, **fields})


def run_action(admin_client, action, jobs):
    return admin_client.post(
        reverse(CHANGELIST), {"action": action, "_selected_action": [j.pk for j in jobs]}, follow=True
    )


def test_every_action_is_registered(admin_client):
    response = admin_client.get(reverse(CHANGELIST))

    choices = [value for value, _label in response.context["action_form"].fields["action"].choices]
    assert {"retry_now", "cancel", "retry_all_failed_for_connections"} <= set(choices)
    assert set(SyncJobAdmin.actions) == {"retry_now", "cancel", "retry_all_failed_for_connections"}


def test_retry_now_makes_failed_jobs_pending_due_now_and_enqueues_them(admin_client, enqueued,
                                                                      django_capture_on_commit_callbacks):
    connection = ConnectionFactory()
    failed = job(connection, attempts=8, max_attempts=8)
    done = job(connection, state=SyncJob.State.SUCCEEDED)

    with django_capture_on_commit_callbacks(execute=True):
        run_action(admin_client, "retry_now", [failed, done])

    failed.refresh_from_db()
    assert failed.state == SyncJob.State.PENDING and failed.next_attempt_at <= timezone.now()
    assert failed.max_attempts > failed.attempts
    assert SyncJob.objects.get(pk=done.pk).state == SyncJob.State.SUCCEEDED
    assert [job_id for job_id, _ in enqueued] == [failed.pk]


def test_cancel_stops_pending_and_failed_jobs(admin_client):
    connection = ConnectionFactory()
    pending = job(connection, state=SyncJob.State.PENDING)
    running = job(connection, state=SyncJob.State.RUNNING)

    run_action(admin_client, "cancel", [pending, running])

    assert SyncJob.objects.get(pk=pending.pk).state == SyncJob.State.CANCELLED
    assert SyncJob.objects.get(pk=running.pk).state == SyncJob.State.RUNNING


def test_retry_all_failed_for_connections_takes_every_failed_job_of_those_connections(admin_client, enqueued):
    connection, other = ConnectionFactory(), ConnectionFactory()
    picked = job(connection)
    sibling = job(connection)
    elsewhere = job(other)

    run_action(admin_client, "retry_all_failed_for_connections", [picked])

    assert SyncJob.objects.get(pk=sibling.pk).state == SyncJob.State.PENDING
    assert SyncJob.objects.get(pk=elsewhere.pk).state == SyncJob.State.FAILED


def test_the_list_counts_failing_jobs_per_channel_and_filters_by_age(admin_client):
    connection = ConnectionFactory()
    job(connection)
    job(connection)
    old = job(connection, state=SyncJob.State.SUCCEEDED, created_at=timezone.now() - timedelta(days=3))

    response = admin_client.get(reverse(CHANGELIST))
    [row] = response.context["failing_by_channel"]
    older = admin_client.get(reverse(CHANGELIST), {"age": "older"})

    assert row == {"channel": connection.channel.name, "channel_id": connection.channel_id, "count": 2}
    assert b"Failing sync jobs per channel" in response.content
    assert [j.pk for j in older.context["cl"].result_list] == [old.pk]
    for params in ({"state__exact": "failed"}, {"kind__exact": "pause"}, {"age": "hour"},
                   {"connection__channel__id__exact": connection.channel_id},
                   {"connection__restaurant__id__exact": connection.restaurant_id}):
        assert admin_client.get(reverse(CHANGELIST), params).status_code == 200


def test_a_job_page_shows_its_error_and_each_attempt_with_links_to_its_calls(admin_client):
    connection = ConnectionFactory()
    failed = job(connection, last_error="the market said no")
    attempt = SyncAttempt.objects.create(job=failed, number=1, outcome="permanent", status_code=409,
                                         duration_ms=12, error="cannot go from VOIDED to CONFIRMED")
    call = ChannelCallFactory(connection=connection, sync_attempt=attempt, status_code=409)

    response = admin_client.get(reverse("admin:integrations_syncjob_change", args=[failed.pk]))

    content = response.content.decode()
    assert "the market said no" in content and "cannot go from VOIDED to CONFIRMED" in content
    assert reverse("admin:integrations_channelcall_change", args=[call.pk]) in content


def test_an_action_says_which_jobs_it_refused_and_why(admin_client):
    connection = ConnectionFactory()
    running = job(connection, state=SyncJob.State.RUNNING)

    response = run_action(admin_client, "cancel", [running])

    text = response.content.decode()
    assert "0 job(s) cancelled." in text
    assert f"1 job(s) not cancelled ({running.pk}): a worker is running it now" in text
