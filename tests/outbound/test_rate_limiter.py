"""Declared rate limits hold across workers: concurrent takers never get more than the limit."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.db import connection as db_connection

from integrations.channels.limits import LimitScope, RateLimit
from integrations.outbound import rate_limiter
from integrations.outbound.rate_limiter import take


@pytest.mark.django_db(transaction=True)
def test_two_threads_share_one_limit():
    key = f"test:shared:{uuid.uuid4().hex}"  # Redis keeps counters between runs
    allowed: list[bool] = []
    lock = threading.Lock()

    def worker() -> None:
        try:
            for _ in range(40):
                verdict = take(key, calls=30, per_seconds=3600, now=1000.0)
                with lock:
                    allowed.append(verdict.allowed)
        finally:
            db_connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert allowed.count(True) == 30 and allowed.count(False) == 50


@pytest.mark.django_db
def test_a_refused_call_says_when_the_window_ends():
    key = f"test:window:{uuid.uuid4().hex}"
    for _ in range(2):
        assert take(key, calls=2, per_seconds=10, now=1003.0).allowed

    verdict = take(key, calls=2, per_seconds=10, now=1004.0)

    assert not verdict.allowed and verdict.retry_in == pytest.approx(6.0)
    assert take(key, calls=2, per_seconds=10, now=1010.0).allowed  # a new window


def test_an_order_limit_does_not_apply_to_a_job_without_an_order():
    from integrations.models import SyncJob

    limit = RateLimit(calls=5, per_seconds=60, scope=LimitScope.ORDER, operation="set_order_status")

    assert not rate_limiter.applies(limit, "set_order_status", SyncJob(order_id=None))
    assert rate_limiter.applies(limit, "set_order_status", SyncJob(order_id=7))
    assert not rate_limiter.applies(limit, "pause", SyncJob(order_id=7))
