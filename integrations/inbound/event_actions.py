"""What staff may do to stored webhook events by hand: reset, re-process (queued) and replay (now).

Beside processing's own transitions (``processing``: received → processing → processed,
ignored or failed; a retryable failure back to received), these are the ones a person
makes, usually after a code fix or after fixing a connection:

- **reset** puts an event back to ``received`` as if it had just arrived: attempts 0,
  error, traceback and ``processed_at`` cleared. Nothing is queued (the sweeper finds it).
- **re-process** is a reset, then the event is queued for a worker after commit.
- **replay** is a reset, then processing runs here and now, event by event in arrival
  order, and says how each ended; at most ``MAX_REPLAY`` at once (it runs in the request).

Every state may be reset, finished ones included: processing is idempotent (orders it
made are found again, a status change it recorded is not recorded twice), so a second
run is safe. The one refusal is an event a worker is processing right now: resetting it
under the worker would mix two runs' attempt counts and errors. A ``processing`` event
older than ``WEBHOOK_PROCESSING_TIMEOUT_SECONDS`` (measured from arrival, the sweeper's
measure) was left by a worker that died and may be reset; the sweeper never takes one that
used up its attempts, so staff are the only way out for it.

Events reach a worker only through ``queueing.enqueue_event``, after commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from integrations.models import WebhookEvent

from .processing import RetryLater, process_webhook_event
from .queueing import enqueue_event, wake_drain

State = WebhookEvent.State
MAX_REPLAY = 50  # replays run in the admin request
RETRYING = "retrying"  # a replay's outcome when the channel failed in a way that may pass


class TooManyToReplay(ValueError):
    """A replay runs processing in the caller's request: refuse a selection that would not finish in one."""


@dataclass(frozen=True)
class Refusal:
    """An event an action left as it was, and why."""

    event_id: int
    reason: str


@dataclass(frozen=True)
class EventsReset:
    """The events a reset (or re-process) put back to ``received``, and the refused ones."""

    reset: tuple[int, ...]
    refused: tuple[Refusal, ...] = ()

    @property
    def count(self) -> int:
        return len(self.reset)


@dataclass(frozen=True)
class Replayed:
    """How one replayed event ended: its state (``retrying`` when it went back to the queue) and the detail."""

    event_id: int
    state: str
    detail: str = ""

    @property
    def message(self) -> str:
        if self.state == RETRYING:
            return f"Event {self.event_id}: the channel failed, will retry ({self.detail})."
        return f"Event {self.event_id}: {self.state}" + (f": {self.detail}" if self.detail else "")


@dataclass(frozen=True)
class Replay:
    """Every replayed event's outcome, in the order they ran, and the refused ones."""

    outcomes: tuple[Replayed, ...]
    refused: tuple[Refusal, ...] = ()


def reset_events(event_ids: Iterable[int]) -> EventsReset:
    """Back to ``received`` with a fresh attempt budget; nothing queued.

    Why a fresh budget: ``attempts`` counts toward ``WEBHOOK_MAX_ATTEMPTS``, and an event
    given another chance after a fix should get as many tries as a new one.
    """
    ids = sorted(set(event_ids))
    abandoned_before = timezone.now() - timedelta(seconds=settings.WEBHOOK_PROCESSING_TIMEOUT_SECONDS)
    resettable = (~Q(state=State.PROCESSING) | Q(received_at__lt=abandoned_before)) & ~Q(state=State.HELD)
    with transaction.atomic():
        # Locked while judged and changed, so a worker's claim (which skips locked rows) cannot slip in between.
        found = dict(WebhookEvent.objects.filter(pk__in=ids).select_for_update().values_list("pk", "state"))
        allowed = set(WebhookEvent.objects.filter(pk__in=found).filter(resettable).values_list("pk", flat=True))
        WebhookEvent.objects.filter(pk__in=allowed).update(
            state=State.RECEIVED, error="", traceback="", processed_at=None, attempts=0
        )
    refused = tuple(
        Refusal(
            event_id,
            "there is no such event"
            if event_id not in found
            else HELD_REFUSAL
            if found[event_id] == State.HELD
            else "a worker is processing it now; try again once it has finished",
        )
        for event_id in ids
        if event_id not in allowed
    )
    return EventsReset(tuple(event_id for event_id in ids if event_id in allowed), refused)


HELD_REFUSAL = "held while its connection is disabled: enable the connection to process it, or discard it"
DISCARDED = "discarded by staff while its connection was disabled"


def release_held(connection_ids: Iterable[int]) -> int:
    """The events held for these connections go to processing, oldest first; how many.

    Only for connections that receive again (the connection and its channel enabled):
    enabling a connection whose channel is still off keeps its events held.
    """
    with transaction.atomic():
        released = WebhookEvent.objects.filter(
            state=State.HELD,
            connection_id__in=set(connection_ids),
            connection__enabled=True,
            connection__channel__enabled=True,
        ).update(state=State.RECEIVED)
        if released:
            transaction.on_commit(wake_drain)  # one wake-up; the drain takes them oldest first
    return released


def discard_held(event_ids: Iterable[int]) -> EventsReset:
    """Staff decide held events will never be processed: ignored, with who decided, the body kept."""
    ids = sorted(set(event_ids))
    with transaction.atomic():
        found = dict(WebhookEvent.objects.filter(pk__in=ids).select_for_update().values_list("pk", "state"))
        held = [event_id for event_id, state in found.items() if state == State.HELD]
        WebhookEvent.objects.filter(pk__in=held, state=State.HELD).update(
            state=State.IGNORED, error=DISCARDED, processed_at=timezone.now()
        )
    refused = tuple(
        Refusal(event_id, "there is no such event" if event_id not in found else f"it is {found[event_id]}, not held")
        for event_id in ids
        if event_id not in held
    )
    return EventsReset(tuple(sorted(held)), refused)


def reprocess_events(event_ids: Iterable[int]) -> EventsReset:
    """Reset the events the rules allow and queue each for processing once, after commit.

    Why in the background: a selection may be thousands of events after an outage; a
    worker processes them at its own pace, and the admin request returns at once.
    """
    with transaction.atomic():
        done = reset_events(event_ids)
        for event_id in done.reset:
            transaction.on_commit(partial(enqueue_event, event_id))
    return done


def replay_events(event_ids: Iterable[int]) -> Replay:
    """Reset and process each event now, oldest first; what each ended as.

    Why now: staff checking a fix want to see the outcome, not wait for a worker. An event
    whose channel fails in a way that may pass goes back to the queue (after commit) and is
    reported ``retrying``. Raises ``TooManyToReplay`` for more than ``MAX_REPLAY`` events.
    Call it outside a transaction: processing must not hold one across a channel call.
    """
    wanted = set(event_ids)
    ids = list(
        WebhookEvent.objects.filter(pk__in=wanted)
        .order_by("received_at", "id")
        .values_list("pk", flat=True)[: MAX_REPLAY + 1]
    )
    if len(ids) > MAX_REPLAY:
        raise TooManyToReplay(f"Select at most {MAX_REPLAY} events to replay at once.")
    outcomes: list[Replayed] = []
    refused = [Refusal(event_id, "there is no such event") for event_id in sorted(wanted - set(ids))]
    for event_id in ids:
        reset = reset_events([event_id])
        if reset.refused:
            refused.extend(reset.refused)
            continue
        try:
            outcome = process_webhook_event(event_id)
        except RetryLater as exc:
            transaction.on_commit(partial(enqueue_event, event_id))
            outcomes.append(Replayed(event_id, RETRYING, str(exc)))
            continue
        outcomes.append(Replayed(event_id, outcome.state, outcome.detail))
    return Replay(tuple(outcomes), tuple(refused))
