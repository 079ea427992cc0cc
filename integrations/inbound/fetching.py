"""Fetching the order a thin webhook announced, and how long a channel that cannot serve it yet is given.

A channel may notify an order a moment before its API can serve it: the GET answers 404, or the channel is
briefly down (5xx, 429, a timeout). Such an answer is not final. ``processing`` retries the event on the
webhook schedule for ``WEBHOOK_FETCH_RETRY_WINDOW_SECONDS`` counted from the event's receipt (Uber: 10 of
its 11.5 minutes to accept), then fails it with a reason staff can read. Other refusals (401, 403, 400...)
are final at once: a retry asks the same wrong question again.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.utils import timezone

from canonical import CanonicalOrder, InboundEvent
from integrations.channels.base import ChannelClient
from integrations.http import ChannelError


class OrderNotReadable(Exception):
    """The channel could not serve an order it announced (404, 5xx, 429, timeout): it may a little later."""

    def __init__(self, channel_order_id: str, error: ChannelError) -> None:
        self.channel_order_id = channel_order_id
        self.error = error
        super().__init__(f"the channel {self.answer} to the GET of order {channel_order_id} ({error})")

    @property
    def answer(self) -> str:
        if self.error.status_code is None:
            return "did not answer"
        return f"answered {self.error.status_code}"

    def waiting(self, seconds_left: float) -> str:
        """The event's error while it waits for the next try."""
        return f"will retry for up to {duration(seconds_left)} more: {self}"

    def gave_up(self, received_at: datetime, now: datetime | None = None) -> str:
        """The event's error once the window is over: what staff read in admin."""
        waited = ((now or timezone.now()) - received_at).total_seconds()
        return (
            f"needs attention: the channel {self.answer} for order {self.channel_order_id} for {duration(waited)} "
            f"after its webhook arrived, so the order was never fetched; gave up (last: {self.error})"
        )


def fetch_order(
    client: ChannelClient, channel_order_id: str, announced_by: InboundEvent | None = None
) -> CanonicalOrder:
    """The channel's order; ``OrderNotReadable`` when the answer may change with time, else the channel's error.

    ``announced_by``: the webhook's event that announced the order; the module's ``get_announced_order`` may
    carry what the event said onto the fetched order (e.g. that it is scheduled).
    """
    try:
        if announced_by is not None:
            return client.get_announced_order(announced_by)
        return client.get_order(channel_order_id)
    except ChannelError as exc:
        if exc.retryable or exc.status_code == 404:
            raise OrderNotReadable(channel_order_id, exc) from exc
        raise


def seconds_left(received_at: datetime, now: datetime | None = None) -> float:
    """How much of the fetch retry window is left for an event received at ``received_at`` (<= 0: none)."""
    waited = ((now or timezone.now()) - received_at).total_seconds()
    return settings.WEBHOOK_FETCH_RETRY_WINDOW_SECONDS - waited


def duration(seconds: float) -> str:
    seconds = max(0.0, seconds)
    if seconds < 120:
        return f"{round(seconds)} s"
    return f"{round(seconds / 60)} min"
