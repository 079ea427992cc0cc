"""Why the chaos run waits for the channel to finish before it judges (the failure once seen on SQLite).

``settled`` compares the two sides at one look. While the channel still acts (it voids every 4th order once it
has our accept, on its own one-second round), "settled" can be true a moment before its last void: the next
look then finds "channel VOIDED / ours accepted" with the void's webhook still on its way (124 of 125 events),
which the run reported as a lost event. No event was lost: the judge looked too early. The chaos test now waits
for ``channel_done`` (every void sent), stops the channel, and only then waits for ``settled``.
"""

from __future__ import annotations

import pytest

from bench.chaos import Run, channel_done, settled, unsettled
from tests.factories.integrations import ConnectionFactory
from tests.factories.orders import OrderFactory

pytestmark = pytest.mark.django_db

STORE = "casa-lucia"


class ChannelLog:
    """The market's state log as ``accepted_at_channel`` reads it: our accept reached every ticket."""

    def __init__(self, confirmed: list[str]) -> None:
        self.confirmed = confirmed

    def log(self, store: str, kind: str | None = None) -> list[dict]:
        return [{"ticket_id": t, "payload": {"state": "CONFIRMED"}} for t in self.confirmed]


def test_settled_is_true_before_the_channels_last_void_so_the_judge_must_wait_for_the_channel():
    connection = ConnectionFactory()
    run = Run(created=[f"SM-{n}" for n in range(4)])
    orders = [OrderFactory(restaurant=connection.restaurant, connection=connection, channel_order_id=ticket_id,
                           status="accepted") for ticket_id in run.created]
    market = ChannelLog(run.created)

    # Every order accepted on both sides: one look says settled, yet the channel has a void still to send.
    assert settled(market, STORE, run, connection.pk)
    assert not channel_done(run, orders=4)

    # The channel voids the 4th between two looks: its webhook is not taken yet, the next look differs.
    run.voided.append("SM-3")
    assert unsettled(market, STORE, run, connection.pk) == {"channel VOIDED / ours accepted": 1}
    assert channel_done(run, orders=4)

    # The webhook arrives and is taken: settled again, and now for good (the channel has finished).
    orders[3].status = "cancelled"
    orders[3].save()
    assert settled(market, STORE, run, connection.pk)
