"""How stored events reach a worker: one wake-up for many events on the hot path, one task per event otherwise.

The webhook request does not publish a task per event (a Celery publish costs
more CPU than the rest of the request together, see ``bench/ingest.py``). It
sets a short-lived flag in the cache; only the request that sets it publishes
a ``drain_received_events`` task. The drain deletes the flag *before* it looks
for events, so an event stored while a drain runs either is seen by it or sets
the flag again and wakes another drain: none is left behind. Should a flag
outlive a lost task, it expires after ``WEBHOOK_WAKE_SECONDS``, and the sweeper
re-enqueues anything still waiting after ``WEBHOOK_SWEEP_AFTER_SECONDS``.
"""

from __future__ import annotations

import logging
from functools import cache as once
from typing import Any

import redis
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

WAKE_KEY = "sinqro:inbound:drain-woken"


class _CacheFlag:
    """The flag in Django's cache (a folder by default): for one machine and the tests."""

    def add(self, seconds: int) -> bool:
        return bool(caches["default"].add(WAKE_KEY, 1, timeout=seconds))

    def delete(self) -> None:
        caches["default"].delete(WAKE_KEY)


class _RedisFlag:
    """The flag in the cache's Redis, through one client per process.

    Django's cache builds a Redis client for every call, which costs as much as
    the rest of a webhook request; SET NX EX on a kept client costs a tenth.
    """

    def __init__(self, url: str) -> None:
        self.client = redis.Redis.from_url(url)

    def add(self, seconds: int) -> bool:
        return bool(self.client.set(WAKE_KEY, 1, nx=True, ex=seconds))

    def delete(self) -> None:
        self.client.delete(WAKE_KEY)


@once
def _flag() -> _CacheFlag | _RedisFlag:
    if isinstance(caches["default"], RedisCache):
        location = settings.CACHES["default"]["LOCATION"]
        first = location[0] if isinstance(location, list | tuple) else location.replace(";", ",").split(",")[0]
        return _RedisFlag(first)
    return _CacheFlag()


@once
def _drain_task() -> Any:
    from .tasks import drain_received_events  # tasks imports this module

    return drain_received_events


def wake_drain() -> bool:
    """Make sure a drain will run soon; True when this call published it."""
    try:
        if not _flag().add(settings.WEBHOOK_WAKE_SECONDS):
            return False  # a drain is already on its way and will look after this flag was set
    except Exception:
        logger.exception("the wake-up flag could not be set; publishing a drain anyway")
    try:
        _drain_task().delay()
    except Exception:
        # The event is stored; the sweeper enqueues it later. The channel still gets its answer.
        logger.exception("could not publish a drain; the sweeper will pick the events up")
        forget_wake()
        return False
    return True


def call_helpers(count: int) -> int:
    """Publish ``count`` helper drains (they call no helpers of their own); how many were published."""
    published = 0
    for _ in range(count):
        try:
            _drain_task().delay(True)
        except Exception:
            logger.exception("could not publish a helper drain; this drain does the work alone")
            break
        published += 1
    return published


def forget_wake() -> None:
    """Called by a drain before it looks for events (and after a failed publish)."""
    try:
        _flag().delete()
    except Exception:
        logger.exception("the wake-up flag could not be deleted; it expires on its own")


def enqueue_event(event_id: int, countdown: float | None = None) -> None:
    """Queue processing of one event (staff re-processing, the sweeper, a retry); a broker hiccup is logged."""
    from .tasks import process_webhook_event

    try:
        process_webhook_event.apply_async((event_id,), countdown=countdown)
    except Exception:
        logger.exception("could not enqueue webhook event %s; the sweeper will pick it up", event_id)
