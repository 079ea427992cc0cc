"""Backoff: exponential, bounded, jittered, and Retry-After wins when longer."""

from __future__ import annotations

from integrations.outbound.retry_policy import backoff_seconds


def test_backoff_doubles_from_the_base_up_to_the_cap():
    waits = [backoff_seconds(attempt, base=10, cap=600, rand=lambda: 1.0) for attempt in range(1, 10)]

    assert waits == [10, 20, 40, 80, 160, 320, 600, 600, 600]


def test_jitter_keeps_each_wait_between_half_and_all_of_its_step():
    lowest = [backoff_seconds(attempt, base=10, cap=600, rand=lambda: 0.0) for attempt in (1, 2, 3)]
    drawn = {backoff_seconds(3, base=10, cap=600) for _ in range(50)}

    assert lowest == [5, 10, 20]
    assert all(20 <= wait <= 40 for wait in drawn) and len(drawn) > 40


def test_a_longer_retry_after_is_honoured_and_a_shorter_one_does_not_shorten(settings):
    settings.OUTBOUND_RETRY_AFTER_MAX_SECONDS = 3600

    assert backoff_seconds(1, retry_after=120, base=10, cap=600, rand=lambda: 1.0) == 120
    assert backoff_seconds(3, retry_after=1, base=10, cap=600, rand=lambda: 1.0) == 40


def test_an_absurd_retry_after_is_clipped(settings):
    settings.OUTBOUND_RETRY_AFTER_MAX_SECONDS = 3600

    assert backoff_seconds(1, retry_after=10**9, base=10, cap=600) == 3600
