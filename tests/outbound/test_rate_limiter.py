"""Declared rate limits hold across workers: concurrent takers never get more than the limit."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.db import connection as db_connection

from integrations.channels.limits import LimitScope, RateLimit
from integrations.outbound import rate_limiter
from integrations.outbound.rate_limiter import spread, take, take_spread


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


@pytest.mark.django_db
def test_refused_calls_queue_up_over_the_next_windows_instead_of_all_retrying_at_once():
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    key = f"test:queue:{uuid.uuid4().hex}"
    verdicts = [take(key, calls=2, per_seconds=10, now=1004.0) for _ in range(7)]

    assert [v.allowed for v in verdicts] == [True, True, False, False, False, False, False]
    waits = [v.wait for v in verdicts[2:]]
    assert all(v.retry_in == pytest.approx(6.0) for v in verdicts[2:])
    if isinstance(caches["default"], RedisCache):  # Redis counts refused calls: each knows its place
        windows = [int((wait - 6.0) // 10) for wait in waits]
        assert windows == [0, 0, 1, 1, 2]
    else:  # the database does not: every refused call comes back in the next window, spread over it
        assert all(6.0 <= wait < 16.0 for wait in waits)


@pytest.mark.django_db
@pytest.mark.parametrize(("calls", "per_seconds"), [(50, 1.0), (120, 60.0), (5, 1.0)])
def test_no_span_of_the_period_holds_more_than_the_limit(calls, per_seconds):
    # given calls attempted every few milliseconds for three periods
    key = f"spread-{uuid.uuid4().hex}"
    step = per_seconds / (calls * 7)
    attempts = [1000.0 + i * step for i in range(int(3 * per_seconds / step))]

    # when each is taken at its instant
    allowed = [now for now in attempts if take_spread(key, calls, per_seconds, now=now).allowed]

    # then no window of one period, wherever it starts, holds more than the limit
    for index, start in enumerate(allowed):
        in_span = sum(1 for moment in allowed[index:] if moment < start + per_seconds)
        assert in_span <= calls, f"{in_span} calls within {per_seconds} s from {start}"
    # and the sustained rate stays close to the limit
    assert len(allowed) >= 3 * calls * 0.8


def test_spread_keeps_most_of_the_rate():
    assert spread(50, 1.0) == (5, 1.0 / 9)
    assert spread(120, 60.0) == (12, 60.0 / 9)
    assert spread(5, 1.0) == (1, 1.0 / 4)
