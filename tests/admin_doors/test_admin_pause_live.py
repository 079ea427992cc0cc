"""Live: a pause typed in admin reaches the Sandbox Market process over real HTTP, through a real worker."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from integrations.models import SyncJob
from restaurants.models import Pause
from tests.conftest import start_worker, stop_worker

from .conftest import API_KEY, FAST_ENV, form_errors

pytestmark = pytest.mark.django_db(transaction=True)

FINAL = (SyncJob.State.SUCCEEDED, SyncJob.State.FAILED, SyncJob.State.SUPERSEDED, SyncJob.State.CANCELLED)


@pytest.fixture
def worker(transactional_db, purge_broker):
    process = start_worker(extra_env=FAST_ENV)
    try:
        yield process
    finally:
        stop_worker(process)


def market_status(market) -> dict:
    """What the market tells the store about its pause (GET /status, the store's own API)."""
    answer = market.api("GET", "casa-lucia", "/status", API_KEY)
    assert answer.status == 200, answer.body
    return answer.body


def all_final(market, timeout: float = 20.0) -> list[SyncJob]:
    market.wait_for(lambda: not SyncJob.objects.exclude(state__in=FINAL).exists(), timeout=timeout, interval=0.1)
    return list(SyncJob.objects.order_by("id"))


def test_a_pause_added_and_resumed_in_admin_reaches_the_market(market, connection, worker, admin_client):
    until = timezone.localtime(timezone.now() + timedelta(minutes=45))
    added = admin_client.post(
        reverse("admin:restaurants_pause_add"),
        {
            "restaurant": connection.restaurant.pk,
            "service_type": "",
            "until_0": until.strftime("%Y-%m-%d"),
            "until_1": until.strftime("%H:%M:%S"),
            "reason": "kitchen overloaded",
        },
    )
    assert added.status_code == 302, form_errors(added)
    [job] = all_final(market)

    assert (job.kind, job.state, job.last_error) == (SyncJob.Kind.PAUSE, SyncJob.State.SUCCEEDED, "")
    [pause] = market.log("casa-lucia", kind="pause")
    assert pause["payload"]["reason"] == "kitchen overloaded"
    status = market_status(market)
    assert status["paused"] is True and status["reason"] == "kitchen overloaded"

    resumed = admin_client.post(
        reverse("admin:restaurants_pause_changelist"),
        {"action": "resume_selected", "_selected_action": [Pause.objects.get().pk]},
    )
    assert resumed.status_code == 302
    jobs = all_final(market)

    assert [(job.kind, job.state) for job in jobs] == [("pause", "succeeded"), ("resume", "succeeded")]
    assert [entry["kind"] for entry in market.log("casa-lucia") if entry["kind"] in ("pause", "resume")] == [
        "pause",
        "resume",
    ]
    assert market_status(market)["paused"] is False
