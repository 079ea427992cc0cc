"""Fixtures for outbound tests: a connection to the running Sandbox Market, fast retries, no broker."""

from __future__ import annotations

import time

import pytest

from integrations.models import SyncJob
from integrations.outbound import runner
from tests.factories.integrations import ChannelFactory, ConnectionFactory

API_KEY = "mk_outbound_KEY_1234"
WEBHOOK_SECRET = "whsec_outbound_SECRET_1234"

# Env for worker subprocesses (settings overrides in the test process do not reach them).
FAST_ENV = {
    "OUTBOUND_BACKOFF_BASE_SECONDS": "0.2",
    "OUTBOUND_BACKOFF_MAX_SECONDS": "1",
    "OUTBOUND_LANE_WAIT_SECONDS": "0.2",
    "OUTBOUND_PUBLISH_POLL_SECONDS": "0.2",
    "OUTBOUND_CIRCUIT_OPEN_SECONDS": "1",
    "CHANNEL_READ_TIMEOUT": "1",
}


@pytest.fixture(autouse=True)
def fast_outbound(settings):
    settings.OUTBOUND_BACKOFF_BASE_SECONDS = 0.2
    settings.OUTBOUND_BACKOFF_MAX_SECONDS = 1.0
    settings.OUTBOUND_LANE_WAIT_SECONDS = 0.2
    settings.OUTBOUND_PUBLISH_POLL_SECONDS = 0.2
    settings.OUTBOUND_CIRCUIT_OPEN_SECONDS = 1.0
    settings.CHANNEL_READ_TIMEOUT = 1.0


@pytest.fixture
def enqueued(monkeypatch):
    """Record what would go to the broker instead of sending it (tests drive the runner themselves)."""
    from integrations.outbound.tasks import run_bulk_sync_job, run_sync_job

    sent: list[tuple[int, float | None]] = []
    for task in (run_sync_job, run_bulk_sync_job):
        monkeypatch.setattr(task, "apply_async", lambda args, countdown=None: sent.append((args[0], countdown)))
    return sent


@pytest.fixture
def connection(market):
    market.register_store(store_ref="casa-lucia", api_key=API_KEY, webhook_secret=WEBHOOK_SECRET, currency="EUR")
    channel = ChannelFactory(sandbox_base_url=market.url)
    return ConnectionFactory(
        channel=channel, store_id="casa-lucia", credentials={"api_key": API_KEY, "webhook_secret": WEBHOOK_SECRET}
    )


def drain(timeout: float = 10.0) -> list[str]:
    """Run every pending job in this process until none is left (waiting for backoffs), like a worker would."""
    outcomes: list[str] = []
    deadline = time.monotonic() + timeout
    while SyncJob.objects.filter(state__in=[SyncJob.State.PENDING, SyncJob.State.RUNNING]).exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"jobs still pending: {list(SyncJob.objects.values_list('id', 'state', 'last_error'))}")
        due = SyncJob.objects.filter(state=SyncJob.State.PENDING).order_by("id").values_list("id", flat=True)
        ran = [runner.run_sync_job(job_id) for job_id in due]
        outcomes += [outcome for outcome in ran if outcome != "not claimed"]
        time.sleep(0.05)
    return outcomes
