"""Fixtures for outbound tests: a connection to the running Sandbox Market, fast retries, no worker."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime

import pytest
from celery.signals import before_task_publish
from django.utils import timezone

from integrations.enqueue import RUN_BULK_SYNC_JOB, RUN_SYNC_JOB
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
def enqueued(published) -> Iterator[list[tuple[int, float | None]]]:
    """The sync jobs really published to the broker, as (job id, countdown in seconds or None).

    No worker consumes them (tests drive the runner themselves); ``published`` empties the queues after.
    The countdown is read back from the message's ETA (Celery's ``before_task_publish``), a hair less
    than the one asked for.
    """
    sent: list[tuple[int, float | None]] = []

    def record(sender=None, headers=None, body=None, **kwargs):
        if sender in (RUN_SYNC_JOB, RUN_BULK_SYNC_JOB):
            eta = (headers or {}).get("eta")
            countdown = None if eta is None else (datetime.fromisoformat(eta) - timezone.now()).total_seconds()
            sent.append((body[0][0], countdown))

    before_task_publish.connect(record, weak=False)
    yield sent
    before_task_publish.disconnect(record)


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
