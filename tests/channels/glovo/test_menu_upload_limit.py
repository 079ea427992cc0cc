"""Glovo takes 5 menu uploads a day per store: the module declares it, so a sixth is held back, not refused."""

from __future__ import annotations

import random

import pytest

from integrations.channels.glovo.module import Module
from integrations.models import SyncJob
from integrations.outbound import rate_limiter

DAY = 24 * 3600


def _upload_limit():
    return next(limit for limit in Module.rate_limits if limit.operation == "publish_catalog")


def test_the_daily_menu_upload_limit_is_declared_per_store():
    limit = _upload_limit()

    assert (limit.calls, limit.per_seconds, limit.scope) == (5, DAY, "connection")
    assert "publish_catalog: at most 5 per 86400 s per connection" in limit.describe()


@pytest.mark.django_db
def test_no_day_ever_holds_more_than_five_uploads_even_when_the_menu_changes_every_ten_minutes():
    limit = _upload_limit()
    job = SyncJob(connection_id=random.randint(10**8, 10**9))  # Redis keeps counters between runs
    key = rate_limiter.limit_key(limit, job, channel_id=1)
    start = 1_800_000_000.0
    sent = [now for now in (start + step * 600 for step in range(6 * 24 * 6))  # six days, every 10 minutes
            if rate_limiter.take_spread(key, limit.calls, limit.per_seconds, now=now).allowed]

    assert sent, "no upload ever went"
    assert max(sum(1 for t in sent if first <= t < first + DAY) for first in sent) <= 5
    assert len(sent) >= 4 * 5  # and the store is not starved: about four a day go out


@pytest.mark.django_db
def test_a_second_upload_within_hours_is_told_to_wait_rather_than_sent():
    limit = _upload_limit()
    job = SyncJob(connection_id=random.randint(10**8, 10**9))

    first = rate_limiter.acquire(Module.rate_limits, "publish_catalog", job, channel_id=1)
    second = rate_limiter.acquire(Module.rate_limits, "publish_catalog", job, channel_id=1)

    assert first.allowed and not second.allowed
    assert 0 < second.wait <= limit.per_seconds
