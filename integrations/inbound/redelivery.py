"""A redelivery of an event we already hold: a no-op duplicate, unless that event failed; then it is taken again.

Runs only after the hot path's INSERT met the dedup constraint, so a new webhook pays nothing for it. One
SELECT reads the held row's id and state (the duplicate answer always read the id); only a ``failed`` row
costs one conditional UPDATE more. That UPDATE is the race guard: it changes the row only while it is still
``failed``, so of two redeliveries arriving together exactly one takes the event again (the other finds it
``received`` and is a duplicate).

Taken again means what a new arrival is: ``received``, no attempt, no error, and ``received_at`` now (the
channel sent it again now, and the fetch retry window of ``processing`` counts from the receipt), so the
next drain processes it. An event that is received, processing, processed or ignored stays as it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from integrations.models import WebhookEvent

State = WebhookEvent.State


@dataclass(frozen=True)
class Held:
    """The event a redelivery found, and whether this redelivery took it again."""

    event_id: int
    taken_again: bool


def held_event(connection_id: int, dedup_key: str) -> Held | None:
    """The event already stored under ``dedup_key``, taken again if it had failed; None when there is none."""
    found = (
        WebhookEvent.objects.filter(connection_id=connection_id, dedup_key=dedup_key)
        .values_list("pk", "state")
        .first()
    )
    if found is None:
        return None
    event_id, state = found
    if state != State.FAILED:
        return Held(event_id, taken_again=False)
    taken = WebhookEvent.objects.filter(pk=event_id, state=State.FAILED).update(
        state=State.RECEIVED, attempts=0, error="", traceback="", processed_at=None, received_at=timezone.now()
    )
    return Held(event_id, taken_again=taken == 1)
