"""Orders and rider events as Deliveroo documents them: served from the module's conformance corpus.

The corpus (``integrations/channels/deliveroo/corpus/``, read as data files by path: the simulator imports
nothing of the platform) holds Deliveroo's documented shapes with our own values. A new order is one of its
``webhook_order_new_*`` bodies, field by field, with what must be fresh so it can be created again and again:
its id (the market prefix kept: ``gb:``, ``kw:``), ``display_id``, and every instant moved so that it is
placed now. A rider event is one of its ``webhook_rider_*`` bodies for that order, its instants moved to now.
"""

from __future__ import annotations

import copy
import json
import uuid
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parents[2] / "integrations" / "channels" / "deliveroo" / "corpus"
DEFAULT_ORDER = "webhook_order_new_deliveroo_rider"
DEFAULT_RIDER = "webhook_rider_assigned"
ORDER_INSTANTS = ("prepare_for", "start_preparing_at", "confirm_at")


@cache
def _fixtures() -> dict[str, dict[str, Any]]:
    return {path.stem: json.loads(path.read_text()) for path in sorted(CORPUS.glob("*.json"))
            if not path.name.endswith(".expected.json")}


def order_fixtures() -> list[str]:
    return [name for name in _fixtures() if name.startswith("webhook_order_new_")]


def rider_fixtures() -> list[str]:
    return [name for name in _fixtures() if name.startswith("webhook_rider_")]


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _shift(value: str | None, delta: timedelta) -> str | None:
    if not value:
        return value
    return (_parse(value) + delta).isoformat().replace("+00:00", "Z")


def build_order(fixture: str, now: datetime, order_id: str | None = None) -> dict[str, Any]:
    """The fixture's ``body.order``, fresh ids, placed at ``now`` (every instant moved by the same delta)."""
    if fixture not in order_fixtures():
        raise KeyError(f"no order fixture {fixture!r}; the corpus has {', '.join(order_fixtures())}")
    order = copy.deepcopy(_fixtures()[fixture]["payload"]["body"]["order"])
    market = order["id"].split(":", 1)[0]
    order["id"] = order_id or f"{market}:{uuid.uuid4()}"
    order["display_id"] = order["id"][-4:].upper()
    placed = next(entry["at"] for entry in order["status_log"] if entry["status"] == "placed")
    delta = now - _parse(placed)
    for entry in order["status_log"]:
        entry["at"] = _shift(entry["at"], delta)
    for key in ORDER_INSTANTS:
        if key in order:
            order[key] = _shift(order[key], delta)
    if order.get("delivery", {}).get("estimated_delivery_at"):
        order["delivery"]["estimated_delivery_at"] = _shift(order["delivery"]["estimated_delivery_at"], delta)
    return order


def build_rider_event(fixture: str, order_id: str, now: datetime) -> dict[str, Any]:
    if fixture not in rider_fixtures():
        raise KeyError(f"no rider fixture {fixture!r}; the corpus has {', '.join(rider_fixtures())}")
    event = copy.deepcopy(_fixtures()[fixture]["payload"])
    event["body"]["order_id"] = order_id
    latest = max(_parse(entry["at"]) for rider in event["body"]["riders"] for entry in rider["status_log"])
    delta = now - latest
    for rider in event["body"]["riders"]:
        for key in ("estimated_arrival_time", "at"):
            rider[key] = _shift(rider.get(key), delta)
        for entry in rider["status_log"]:
            entry["at"] = _shift(entry["at"], delta)
    return event
