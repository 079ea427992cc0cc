"""Urgent jobs (order status, driver location, pauses, snoozes) and bulk ones (catalogs, hours) use two queues."""

from __future__ import annotations

import pytest

from integrations.models import SyncJob
from integrations.outbound.outbox import enqueue
from integrations.outbound.priority import BULK_KINDS, URGENT_KINDS, is_urgent

Kind = SyncJob.Kind


def test_every_kind_has_exactly_one_priority():
    assert set(Kind.values) == URGENT_KINDS | BULK_KINDS
    assert not URGENT_KINDS & BULK_KINDS


@pytest.mark.parametrize(
    ("kind", "queue"),
    [
        (Kind.ORDER_STATUS, "outbound_urgent"),
        (Kind.DELIVERY_LOCATION, "outbound_urgent"),
        (Kind.PAUSE, "outbound_urgent"),
        (Kind.RESUME, "outbound_urgent"),
        (Kind.CATALOG_ITEMS, "outbound_urgent"),
        (Kind.CATALOG, "outbound_bulk"),
        (Kind.OPENING_HOURS, "outbound_bulk"),
    ],
)
def test_a_job_goes_to_its_kinds_queue(kind, queue, published):
    enqueue(7, kind)

    [message] = published
    assert message.queue == queue and message.args == (7,)
    assert message.task.endswith("run_bulk_sync_job" if queue == "outbound_bulk" else ".run_sync_job")


def test_a_kind_nobody_classified_yet_is_urgent_not_stuck_behind_catalogs():
    assert is_urgent("a_kind_added_tomorrow")
