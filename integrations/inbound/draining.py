"""A drain: process the events that arrived and nobody has touched yet, oldest first, in one task.

Several drains may run at once (a request stored an event after this drain
started and woke another). They share the work through the claim: an event is
taken only while it is still ``received`` with no attempt, and a row another
drain holds is skipped, never waited for. A drain that finds several events
(they arrived while it was on its way) first calls up to
``WEBHOOK_DRAIN_HELPERS`` helper drains, so the events are processed side by
side on free workers instead of one after the other; helpers call no helpers.
A drain that leaves events behind (a full batch, its time spent) hands on to a
fresh drain (``drain_and_hand_on``, what the task runs).

A drain also takes the events a dead worker left ``processing`` once their
lease has lapsed (``lease``), first, as they are the oldest: while webhooks
arrive, a killed worker's event is processed again within seconds of its
lease running out, without waiting for the sweeper's next round.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.conf import settings

from integrations.models import WebhookEvent

from . import processing
from .lease import lapsed_event_ids
from .queueing import call_helpers, enqueue_event, forget_wake, hand_on

State = WebhookEvent.State


@dataclass
class DrainReport:
    """What one drain did: events it finished, handed to a retry, or found taken by another worker."""

    processed: list[int] = field(default_factory=list)
    rescued: list[int] = field(default_factory=list)  # lapsed events among the processed, taken from a dead worker
    retrying: list[int] = field(default_factory=list)
    taken_by_others: int = 0
    more_waiting: bool = False
    helpers: int = 0
    handed_on: bool = False


def new_event_ids(limit: int) -> list[int]:
    waiting = WebhookEvent.objects.filter(state=State.RECEIVED, attempts=0).order_by("received_at", "id")
    return list(waiting.values_list("pk", flat=True)[:limit])


def drain(batch: int | None = None, budget_seconds: float | None = None, helpers: int | None = None) -> DrainReport:
    """Process up to ``batch`` new events (or until the time budget is spent); say whether more are waiting."""
    batch = batch or settings.WEBHOOK_DRAIN_BATCH
    budget = settings.WEBHOOK_DRAIN_SECONDS if budget_seconds is None else budget_seconds
    helpers = settings.WEBHOOK_DRAIN_HELPERS if helpers is None else helpers
    forget_wake()  # before looking: an event stored from now on wakes another drain
    report = DrainReport()
    ids = new_event_ids(batch)
    lapsed = lapsed_event_ids(limit=batch)  # oldest first, and few: a list is fine for `in`
    if len(ids) > 1 and helpers > 0:
        report.helpers = call_helpers(min(len(ids) - 1, helpers))
    # A full batch may have left events behind; so may running out of time.
    report.more_waiting = len(ids) == batch
    deadline = time.monotonic() + budget
    for event_id in [*lapsed, *ids]:
        if time.monotonic() > deadline:
            report.more_waiting = True
            break
        try:
            outcome = processing.process_webhook_event(event_id, only_if_new=event_id not in lapsed)
        except processing.RetryLater as exc:
            report.retrying.append(event_id)
            enqueue_event(event_id, countdown=exc.delay(retries=0))
            continue
        if outcome.state == "skipped":
            report.taken_by_others += 1
        else:
            report.processed.append(event_id)
            if event_id in lapsed:
                report.rescued.append(event_id)
    return report


def drain_and_hand_on(helping: bool = False) -> DrainReport:
    """One drain task: drain, then wake the next drain if events were left behind.

    A helper (``helping``, called by another drain) calls no helpers and hands on to nobody:
    the drain that called it does.
    """
    report = drain(helpers=0 if helping else None)
    if report.more_waiting and not helping:
        report.handed_on = hand_on()
    return report
