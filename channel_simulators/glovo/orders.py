"""Glovo's notifications as documented: served from the module's conformance corpus, not invented here.

The corpus (``integrations/channels/glovo/corpus/``, read as data files by path: the simulator imports nothing
of the platform) holds Glovo's documented shapes with our own values: prices in integer cents, local times
with ``utc_offset_minutes``. A new order is one of its dispatched-order fixtures, field by field, with a fresh
``order_id``, the store it is for, and its local times moved so that it is placed now (in the store's offset,
the courier's pickup as far after it as in the fixture). A cancellation is the corpus' cancellation
notification for that order.
"""

from __future__ import annotations

import copy
import json
import random
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parents[2] / "integrations" / "channels" / "glovo" / "corpus"
DEFAULT_FIXTURE = "order_glovo_courier"
"""A Glovo-courier delivery with an attribute, the common case."""
CANCELLATION_FIXTURE = "order_cancelled_by_customer"
LOCAL = "%Y-%m-%d %H:%M:%S"


@cache
def _fixtures() -> dict[str, dict[str, Any]]:
    return {path.stem: json.loads(path.read_text()) for path in sorted(CORPUS.glob("*.json"))
            if not path.name.endswith(".expected.json")}


def order_fixtures() -> list[str]:
    """The names of the corpus' dispatched-order notifications."""
    return [name for name, fixture in _fixtures().items() if fixture.get("notification") == "order_dispatched"]


def _local(instant: datetime, offset_minutes: int) -> str:
    return (instant + timedelta(minutes=offset_minutes)).strftime(LOCAL)


def build_order(store: dict[str, Any], fixture: str, now: datetime, offset_minutes: int | None = None,
                order_id: str | None = None) -> dict[str, Any]:
    """The fixture's order notification for ``store``, placed at ``now``."""
    if fixture not in order_fixtures():
        raise KeyError(f"no order fixture {fixture!r}; the corpus has {', '.join(order_fixtures())}")
    order = copy.deepcopy(_fixtures()[fixture]["payload"])
    order["order_id"] = order_id or str(random.randint(10**8, 10**9 - 1))
    order["store_id"] = store["store_id"]
    documented_offset = int(order.get("utc_offset_minutes") or 0)
    offset = documented_offset if offset_minutes is None else offset_minutes
    if order.get("order_time"):
        placed = datetime.strptime(order["order_time"], LOCAL)
        order["order_time"] = _local(now, offset)
        if order.get("estimated_pickup_time"):
            later = datetime.strptime(order["estimated_pickup_time"], LOCAL) - placed
            order["estimated_pickup_time"] = _local(now + later, offset)
        if "utc_offset_minutes" in order:
            order["utc_offset_minutes"] = str(offset)
    return order


def build_cancellation(order: dict[str, Any], reason: str | None = None, strategy: str | None = None) -> dict[str, Any]:
    """The corpus' cancellation notification for ``order`` (its documented reason and strategy unless given)."""
    notification = copy.deepcopy(_fixtures()[CANCELLATION_FIXTURE]["payload"])
    notification["order_id"] = order["order_id"]
    notification["store_id"] = order["store_id"]
    if reason:
        notification["cancel_reason"] = reason
    if strategy:
        notification["payment_strategy"] = strategy
    return notification


def now_utc() -> datetime:
    return datetime.now(UTC)
