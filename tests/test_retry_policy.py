"""The one retry policy: exponential, bounded, jittered, Retry-After wins when longer; a schedule per side."""

from __future__ import annotations

import pytest

from integrations.inbound.processing import RetryLater
from integrations.retry_policy import WEBHOOK_EVENTS, Schedule, backoff_seconds, sync_jobs

TEN_TO_600 = Schedule(base=10, cap=600, retry_after_max=3600)


def test_backoff_doubles_from_the_base_up_to_the_cap():
    waits = [backoff_seconds(attempt, None, TEN_TO_600, rand=lambda: 1.0) for attempt in range(1, 10)]

    assert waits == [10, 20, 40, 80, 160, 320, 600, 600, 600]


def test_jitter_keeps_each_wait_between_half_and_all_of_its_step():
    lowest = [backoff_seconds(attempt, None, TEN_TO_600, rand=lambda: 0.0) for attempt in (1, 2, 3)]
    drawn = {backoff_seconds(3, None, TEN_TO_600) for _ in range(50)}

    assert lowest == [5, 10, 20]
    assert all(20 <= wait <= 40 for wait in drawn) and len(drawn) > 40


def test_a_longer_retry_after_is_honoured_and_a_shorter_one_does_not_shorten():
    assert backoff_seconds(1, 120, TEN_TO_600, rand=lambda: 1.0) == 120
    assert backoff_seconds(3, 1, TEN_TO_600, rand=lambda: 1.0) == 40
    assert backoff_seconds(3, 0, TEN_TO_600, rand=lambda: 1.0) == 40


def test_an_absurd_retry_after_is_clipped_to_the_schedules_bound():
    assert backoff_seconds(1, 10**9, TEN_TO_600) == 3600


def test_sync_jobs_take_their_numbers_from_settings(settings):
    settings.OUTBOUND_BACKOFF_BASE_SECONDS = 10
    settings.OUTBOUND_BACKOFF_MAX_SECONDS = 900
    settings.OUTBOUND_RETRY_AFTER_MAX_SECONDS = 3600

    assert sync_jobs() == Schedule(base=10, cap=900, retry_after_max=3600)
    assert [backoff_seconds(n, None, sync_jobs(), rand=lambda: 1.0) for n in (1, 7, 8)] == [10, 640, 900]
    assert backoff_seconds(1, 10**9, sync_jobs()) == 3600


def test_webhook_events_wait_5_s_doubling_to_300_s_and_take_retry_after_as_asked():
    waits = [backoff_seconds(n, None, WEBHOOK_EVENTS, rand=lambda: 1.0) for n in range(1, 9)]

    assert waits == [5, 10, 20, 40, 80, 160, 300, 300]
    assert backoff_seconds(1, 7200, WEBHOOK_EVENTS) == 7200


@pytest.mark.parametrize(
    ("retries", "low", "high"), [(0, 2.5, 5), (1, 5, 10), (5, 80, 160), (6, 150, 300), (20, 150, 300)]
)
def test_a_webhook_retry_waits_by_the_same_policy(retries, low, high):
    drawn = [RetryLater("channel hiccup").delay(retries) for _ in range(50)]

    assert all(low <= wait <= high for wait in drawn)
    assert RetryLater("429", retry_after=400).delay(0) == 400
