"""Staff's transitions of stored webhooks, without admin: reset, re-process, replay; each refusal says why."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from integrations.enqueue import PROCESS_WEBHOOK_EVENT
from integrations.inbound.event_actions import (
    MAX_REPLAY,
    RETRYING,
    Refusal,
    TooManyToReplay,
    replay_events,
    reprocess_events,
    reset_events,
)
from integrations.models import WebhookEvent
from orders.models import Order, StatusChange
from tests.channels.sandbox_market_samples import ticket
from tests.factories.integrations import WebhookEventFactory

from .conftest import market_event

pytestmark = pytest.mark.django_db

State = WebhookEvent.State
HELD = "a worker is processing it now; try again once it has finished"


def events_published(published) -> list[int]:
    return [message.args[0] for message in published if message.task == PROCESS_WEBHOOK_EVENT]


def new_order(connection, ticket_id: str = "SM-000042", **fields) -> WebhookEvent:
    body = market_event("ticket.created", ticket_id, ticket=ticket(ticket_id))
    return WebhookEventFactory(connection=connection, body=body, **fields)


def unreadable_order(connection) -> WebhookEvent:
    broken = ticket()
    broken["basket"][0]["qty"] = 0
    return WebhookEventFactory(connection=connection, body=market_event("ticket.created", "SM-000043", ticket=broken))


def failed(connection) -> WebhookEvent:
    return new_order(
        connection, state=State.FAILED, attempts=3, error="the payload does not match", traceback="Traceback …",
        processed_at=timezone.now(),
    )


def held(connection) -> WebhookEvent:
    """Taken by a worker a moment ago."""
    return new_order(connection, state=State.PROCESSING, attempts=1)


# --- reset -----------------------------------------------------------------------------


def test_resetting_a_failed_event_makes_it_received_with_a_fresh_budget_and_queues_nothing(
    connection, published, django_capture_on_commit_callbacks
):
    event = failed(connection)

    with django_capture_on_commit_callbacks(execute=True):
        done = reset_events([event.pk])

    event.refresh_from_db()
    assert done.reset == (event.pk,) and done.refused == ()
    assert (event.state, event.attempts, event.error, event.traceback, event.processed_at) == (
        State.RECEIVED, 0, "", "", None
    )
    assert events_published(published) == []


@pytest.mark.parametrize("state", [State.PROCESSED, State.IGNORED, State.RECEIVED])
def test_every_state_but_processing_may_be_reset(connection, state):
    event = new_order(connection, state=state, attempts=2)

    assert reset_events([event.pk]).reset == (event.pk,)
    assert WebhookEvent.objects.get(pk=event.pk).attempts == 0


def test_resetting_an_event_a_worker_is_processing_is_refused_and_leaves_it_alone(connection):
    event = held(connection)

    done = reset_events([event.pk])

    assert done.reset == () and done.refused == (Refusal(event.pk, HELD),)
    event.refresh_from_db()
    assert (event.state, event.attempts) == (State.PROCESSING, 1)


def test_a_processing_event_a_dead_worker_left_behind_may_be_reset(connection, settings):
    long_ago = timezone.now() - timedelta(seconds=settings.WEBHOOK_PROCESSING_TIMEOUT_SECONDS + 1)
    event = new_order(connection, state=State.PROCESSING, attempts=settings.WEBHOOK_MAX_ATTEMPTS, received_at=long_ago)

    assert reset_events([event.pk]).reset == (event.pk,)
    assert WebhookEvent.objects.get(pk=event.pk).state == State.RECEIVED


def test_resetting_an_event_that_does_not_exist_is_refused():
    assert reset_events([987654]).refused == (Refusal(987654, "there is no such event"),)


# --- re-process ------------------------------------------------------------------------


def test_reprocessing_a_failed_event_resets_it_and_publishes_it_once_after_commit(
    connection, published, django_capture_on_commit_callbacks
):
    event = failed(connection)

    with django_capture_on_commit_callbacks(execute=True):
        done = reprocess_events([event.pk])

    assert done.reset == (event.pk,)
    assert WebhookEvent.objects.get(pk=event.pk).state == State.RECEIVED
    assert events_published(published) == [event.pk]


def test_reprocessing_refuses_an_event_a_worker_holds_and_publishes_only_the_others(
    connection, published, django_capture_on_commit_callbacks
):
    taken, waiting = held(connection), failed(connection)

    with django_capture_on_commit_callbacks(execute=True):
        done = reprocess_events([taken.pk, waiting.pk])

    assert done.reset == (waiting.pk,) and done.refused == (Refusal(taken.pk, HELD),)
    assert events_published(published) == [waiting.pk]


# --- replay ----------------------------------------------------------------------------


def test_replaying_processes_each_event_now_oldest_first_and_says_how_each_ended(connection):
    now = timezone.now()
    good = new_order(connection, received_at=now - timedelta(minutes=2), state=State.FAILED, attempts=8)
    bad = unreadable_order(connection)

    replay = replay_events([bad.pk, good.pk])

    assert [(outcome.event_id, outcome.state) for outcome in replay.outcomes] == [
        (good.pk, State.PROCESSED),
        (bad.pk, State.FAILED),
    ]
    assert "greater than or equal to 1" in replay.outcomes[1].detail
    assert replay.outcomes[1].message.startswith(f"Event {bad.pk}: failed: ")
    assert Order.objects.count() == 1
    assert WebhookEvent.objects.get(pk=good.pk).attempts == 1  # a fresh budget, then one run


def test_replaying_a_processed_event_again_changes_nothing(connection):
    event = new_order(connection)
    replay_events([event.pk])
    orders, history = list(Order.objects.values_list("pk", flat=True)), list(StatusChange.objects.values("pk"))

    replay = replay_events([event.pk])

    assert replay.outcomes[0].state == State.PROCESSED
    assert list(Order.objects.values_list("pk", flat=True)) == orders
    assert list(StatusChange.objects.values("pk")) == history


def test_replaying_an_event_a_worker_holds_is_refused_and_the_others_still_run(connection):
    taken, waiting = held(connection), new_order(connection, ticket_id="SM-000044")

    replay = replay_events([taken.pk, waiting.pk, 555555])

    assert [outcome.event_id for outcome in replay.outcomes] == [waiting.pk]
    assert set(replay.refused) == {Refusal(taken.pk, HELD), Refusal(555555, "there is no such event")}
    assert WebhookEvent.objects.get(pk=taken.pk).state == State.PROCESSING


def test_replaying_more_than_the_limit_is_refused_before_anything_runs(connection):
    events = [WebhookEventFactory(connection=connection, state=State.FAILED) for _ in range(MAX_REPLAY + 1)]

    with pytest.raises(TooManyToReplay, match=f"at most {MAX_REPLAY}"):
        replay_events([event.pk for event in events])

    assert set(WebhookEvent.objects.values_list("state", flat=True)) == {State.FAILED}


def test_replaying_when_the_channel_fails_for_now_puts_the_event_back_in_the_queue(
    connection, failing_market, published, django_capture_on_commit_callbacks
):
    thin = WebhookEventFactory(connection=connection, body=market_event("ticket.created", "SM-1"))  # must GET

    with django_capture_on_commit_callbacks(execute=True):
        replay = replay_events([thin.pk])

    [outcome] = replay.outcomes
    assert outcome.state == RETRYING and "HTTP 500" in outcome.detail
    assert outcome.message.startswith(f"Event {thin.pk}: the channel failed, will retry (")
    assert WebhookEvent.objects.get(pk=thin.pk).state == State.RECEIVED
    assert events_published(published) == [thin.pk]
