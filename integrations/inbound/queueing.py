"""How stored events reach a worker: one wake-up for many events on the hot path, one task per event otherwise.

The webhook request does not publish a task per event (a Celery publish costs
more CPU than the rest of the request together, see ``bench/ingest.py``). It
sets a short-lived flag in the cache; only the request that sets it publishes
a ``drain_received_events`` task. The drain deletes the flag *before* it looks
for events, so an event stored while a drain runs either is seen by it or sets
the flag again and wakes another drain: none is left behind. Should a flag
outlive a lost task, it expires after ``WEBHOOK_WAKE_SECONDS``, and the sweeper
re-enqueues anything still waiting after ``WEBHOOK_SWEEP_AFTER_SECONDS``.

Tasks are published by name (``integrations.enqueue``): this module never
imports the task module, which calls the drain that calls this module.
"""

from __future__ import annotations

import logging
from functools import cache as once

import redis
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

from integrations.enqueue import DRAIN_RECEIVED_EVENTS, PROCESS_WEBHOOK_EVENT, enqueue

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


def wake_drain() -> bool:
    """Make sure a drain will run soon; True when this call published it."""
    try:
        if not _flag().add(settings.WEBHOOK_WAKE_SECONDS):
            return False  # a drain is already on its way and will look after this flag was set
    except Exception:
        logger.exception("the wake-up flag could not be set; publishing a drain anyway")
    if not enqueue(DRAIN_RECEIVED_EVENTS):
        # The event is stored; the sweeper enqueues it later. The channel still gets its answer.
        # Without the flag, the next stored event tries to wake a drain again.
        forget_wake()
        return False
    return True


def hand_on() -> bool:
    """A drain that left events behind calls the next one (no flag: the drain itself is the wake-up)."""
    return enqueue(DRAIN_RECEIVED_EVENTS)


def call_helpers(count: int) -> int:
    """Publish ``count`` helper drains (they call no helpers of their own); how many were published."""
    published = 0
    for _ in range(count):
        if not enqueue(DRAIN_RECEIVED_EVENTS, True):
            break  # this drain does the work alone
        published += 1
    return published


def forget_wake() -> None:
    """Called by a drain before it looks for events (and after a failed publish)."""
    try:
        _flag().delete()
    except Exception:
        logger.exception("the wake-up flag could not be deleted; it expires on its own")


def enqueue_event(event_id: int, countdown: float | None = None) -> bool:
    """Queue processing of one event (staff re-processing, the sweeper, a retry); False (logged) if the broker
    would not take it: the event stays stored and the sweeper enqueues it later."""
    return enqueue(PROCESS_WEBHOOK_EVENT, event_id, countdown=countdown)
