"""The hot path wakes one drain for many events; a drain processes what is new, oldest first, and shares the work."""

from __future__ import annotations

import time
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.cache.backends import base as cache_base
from django.core.cache.backends import filebased
from django.utils import timezone

from integrations.inbound import queueing
from integrations.inbound.draining import drain, drain_and_hand_on
from integrations.inbound.queueing import forget_wake, wake_drain
from integrations.models import WebhookEvent
from orders.models import Order
from tests.channels.sandbox_market_samples import ticket
from tests.clocks import ManualClock

from .conftest import deliver, market_event

pytestmark = pytest.mark.django_db

DRAIN = "integrations.inbound.tasks.drain_received_events"
PROCESS = "integrations.inbound.tasks.process_webhook_event"


def stored(client, connection, ticket_id: str, *, minutes_ago: int = 0) -> int:
    reply = deliver(client, connection, market_event("ticket.created", ticket_id, ticket=ticket(ticket_id)))
    assert reply.status_code == 202, reply.json
    WebhookEvent.objects.filter(pk=reply.json["event_id"]).update(
        received_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return reply.json["event_id"]


def test_many_stored_events_wake_one_drain_until_a_drain_starts_looking(published):
    assert [wake_drain() for _ in range(5)] == [True, False, False, False, False]
    assert [message.task for message in published] == [DRAIN]

    forget_wake()  # what a drain does before it looks for events

    assert wake_drain() is True
    assert [message.task for message in published] == [DRAIN, DRAIN]


def test_a_wake_flag_expires_so_a_lost_drain_does_not_block_the_next(published, settings, monkeypatch):
    settings.WEBHOOK_WAKE_SECONDS = 1
    if isinstance(queueing._flag(), queueing._RedisFlag):
        # Redis keeps the flag's lifetime itself (SET NX EX): no clock of ours to move, so wait, with a deadline.
        assert wake_drain() is True
        assert wake_drain() is False  # still set: the drain it published is on its way
        deadline = time.monotonic() + 5
        while not wake_drain():
            assert time.monotonic() < deadline, "the wake flag did not expire"
            time.sleep(0.05)
        assert len(published) == 2
        return
    # With Django's cache (the file cache of the embedded defaults) the lifetime is kept by the cache, which
    # reads time.time through its modules' ``time``: the test gives those a clock it moves instead of sleeping.
    clock = ManualClock(time.time())
    fake_time = SimpleNamespace(time=clock)
    monkeypatch.setattr(cache_base, "time", fake_time)
    monkeypatch.setattr(filebased, "time", fake_time)
    assert wake_drain() is True

    clock.advance(0.5)
    assert wake_drain() is False  # still set: the drain it published is on its way
    clock.advance(0.7)

    assert wake_drain() is True
    assert len(published) == 2


def test_a_drain_processes_new_events_oldest_first_and_leaves_held_ones_alone(client, connection):
    newer = stored(client, connection, "SM-2", minutes_ago=1)
    older = stored(client, connection, "SM-1", minutes_ago=2)
    held = stored(client, connection, "SM-3", minutes_ago=3)
    WebhookEvent.objects.filter(pk=held).update(state=WebhookEvent.State.PROCESSING, attempts=1)

    report = drain()

    assert report.processed == [older, newer] and not report.more_waiting
    assert set(WebhookEvent.objects.filter(pk__in=[older, newer]).values_list("state", flat=True)) == {"processed"}
    assert WebhookEvent.objects.get(pk=held).state == WebhookEvent.State.PROCESSING
    assert sorted(Order.objects.values_list("channel_order_id", flat=True)) == ["SM-1", "SM-2"]


def test_a_drain_takes_one_batch_and_says_more_are_waiting(client, connection):
    ids = [stored(client, connection, f"SM-{n}", minutes_ago=5 - n) for n in range(3)]

    first = drain(batch=2)
    second = drain(batch=2)

    assert (first.processed, first.more_waiting) == (ids[:2], True)
    assert (second.processed, second.more_waiting) == (ids[2:], False)
    assert Order.objects.count() == 3


def test_a_drain_out_of_time_stops_and_hands_on(client, connection):
    stored(client, connection, "SM-1")

    report = drain(budget_seconds=-1)

    assert report.processed == [] and report.more_waiting
    assert WebhookEvent.objects.get().state == WebhookEvent.State.RECEIVED


def test_a_drain_hands_an_event_the_channel_fails_on_to_a_retry_with_a_delay(
    client, connection, failing_market, published
):
    event_id = deliver(client, connection, market_event("ticket.created", "SM-1")).json["event_id"]  # thin: GET

    report = drain()

    assert report.retrying == [event_id] and report.processed == []
    event = WebhookEvent.objects.get(pk=event_id)
    assert (event.state, event.attempts) == (WebhookEvent.State.RECEIVED, 1)
    [message] = published
    assert (message.task, message.args, message.queue) == (PROCESS, (event_id,), "inbound")
    assert message.eta is not None
    # Not new any more (one attempt): a second drain leaves it to its retry.
    assert drain().retrying == []


def test_a_drain_that_finds_several_events_calls_helpers_to_share_them(client, connection, published):
    ids = [stored(client, connection, f"SM-{n}", minutes_ago=5 - n) for n in range(3)]

    report = drain(helpers=5)

    assert report.helpers == 2  # one per event beyond its own first, at most ``helpers``
    assert [(m.task, m.args) for m in published] == [(DRAIN, (True,)), (DRAIN, (True,))]
    assert report.processed == ids  # nobody took them meanwhile here: it did them all itself


def test_a_helper_calls_no_helpers_and_a_single_event_needs_none(client, connection, published):
    stored(client, connection, "SM-1")
    stored(client, connection, "SM-2")
    assert drain(helpers=0).helpers == 0
    stored(client, connection, "SM-3")
    assert drain(helpers=3).helpers == 0

    assert published == []


def test_a_drain_that_leaves_events_behind_hands_on_and_a_helper_does_not(client, connection, published, settings):
    settings.WEBHOOK_DRAIN_BATCH = 1
    settings.WEBHOOK_DRAIN_HELPERS = 0
    ids = [stored(client, connection, f"SM-{n}", minutes_ago=5 - n) for n in range(3)]

    first = drain_and_hand_on()
    helper = drain_and_hand_on(helping=True)
    last = drain_and_hand_on()

    assert (first.processed, first.more_waiting, first.handed_on) == (ids[:1], True, True)
    assert (helper.processed, helper.more_waiting, helper.handed_on) == (ids[1:2], True, False)
    assert (last.processed, last.handed_on) == (ids[2:], True)  # a full batch cannot tell it was the last
    assert [(m.task, m.args, m.queue) for m in published] == [(DRAIN, (), "inbound"), (DRAIN, (), "inbound")]
    assert drain_and_hand_on().handed_on is False
