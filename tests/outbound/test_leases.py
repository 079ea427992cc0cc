"""A running job holds a short lease: renewed while its worker lives, handed out again once it lapses."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from integrations.models import SyncJob
from integrations.outbound import claims
from tests.factories.integrations import SyncJobFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending():
    return SyncJobFactory(state=SyncJob.State.PENDING, next_attempt_at=timezone.now() - timedelta(seconds=1))


def test_a_claim_holds_a_lease_of_the_configured_length(pending, settings):
    settings.OUTBOUND_LEASE_SECONDS = 15
    now = timezone.now()

    job = claims.claim(pending.pk, now)

    assert job.state == SyncJob.State.RUNNING and job.lease_until == now + timedelta(seconds=15)


def test_a_lapsed_lease_is_handed_out_again_and_a_renewed_one_is_not(pending, settings):
    settings.OUTBOUND_LEASE_SECONDS = 15
    now = timezone.now()
    job = claims.claim(pending.pk, now)
    cutoff = now - timedelta(minutes=5)

    assert claims.reclaim_stuck(now + timedelta(seconds=14), cutoff) == []
    assert claims.renew(job, now + timedelta(seconds=10))  # the worker is alive: lease now ends at +25 s
    assert claims.reclaim_stuck(now + timedelta(seconds=20), cutoff) == []
    assert claims.reclaim_stuck(now + timedelta(seconds=26), cutoff) == [job.pk]

    job.refresh_from_db()
    assert job.state == SyncJob.State.PENDING and "worker stopped" in job.last_error
    assert not claims.renew(job)  # the old worker's late renewal no longer holds the job
    assert not claims.finish(job, SyncJob.State.SUCCEEDED)  # nor does its late result


def test_a_job_claimed_before_leases_existed_is_reclaimed_by_its_age(settings):
    now = timezone.now()
    old = SyncJobFactory(state=SyncJob.State.RUNNING, started_at=now - timedelta(minutes=6), lease_until=None)
    young = SyncJobFactory(state=SyncJob.State.RUNNING, started_at=now - timedelta(minutes=1), lease_until=None)

    assert claims.reclaim_stuck(now, now - timedelta(minutes=5)) == [old.pk]
    young.refresh_from_db()
    assert young.state == SyncJob.State.RUNNING
