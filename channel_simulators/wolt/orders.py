"""Orders and notifications as Wolt documents them: served from the module's conformance corpus, not invented here.

The corpus (``integrations/channels/wolt/corpus/``, read as data files by path: the simulator imports nothing of
the platform) holds Wolt's documented shapes with our own values. A new order is one of its ``get_order_*``
fixtures (the OrderV2 payload of ``GET /v2/orders/{id}``), field by field, with what must be fresh so an order can
be placed again and again: its id (24 hex characters, as Wolt's), its ``order_number``, the venue, and its instants
moved so that it is placed now. A notification is the corpus notification of that kind with fresh ids and time.
"""

from __future__ import annotations

import copy
import json
import secrets
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parents[2] / "integrations" / "channels" / "wolt" / "corpus"
DEFAULT_FIXTURE = "get_order_wolt_courier"
"""An instant order Wolt's courier delivers, with options, a discount and fees."""
TIMES = ("created_at", "modified_at", "pickup_eta")


@cache
def _fixtures() -> dict[str, dict[str, Any]]:
    return {path.stem: json.loads(path.read_text()) for path in sorted(CORPUS.glob("*.json"))
            if not path.name.endswith(".expected.json")}


def order_fixtures() -> list[str]:
    return [name for name, fixture in _fixtures().items() if fixture["kind"] == "get_order"]


def _shift(value: str | None, delta: timedelta) -> str | None:
    if not value:
        return value
    moved = datetime.fromisoformat(value.replace("Z", "+00:00")) + delta
    return moved.isoformat().replace("+00:00", "Z")


def build_order(venue_id: str, fixture: str, now: datetime, order_id: str | None = None) -> dict[str, Any]:
    """The fixture's order as ``GET /v2/orders/{id}`` returns it: fresh ids, placed at ``now``, just received."""
    if fixture not in order_fixtures():
        raise KeyError(fixture)
    order = copy.deepcopy(_fixtures()[fixture]["payload"])
    order["id"] = order_id or secrets.token_hex(12)
    order["order_number"] = str(1000 + secrets.randbelow(9000))
    order["venue"]["id"] = venue_id
    order["order_status"] = "RECEIVED"
    delta = now - datetime.fromisoformat(order["created_at"].replace("Z", "+00:00"))
    for key in TIMES:
        order[key] = _shift(order.get(key), delta)
    delivery = order.get("delivery") or {}
    if delivery.get("time"):
        delivery["time"] = _shift(delivery["time"], delta)
    if order.get("pre_order"):
        order["pre_order"]["preorder_time"] = _shift(order["pre_order"].get("preorder_time"), delta)
    return order


def _template(kind: str) -> dict[str, Any]:
    for fixture in _fixtures().values():
        if fixture["kind"] == "webhook" and fixture["payload"]["type"] == kind:
            return fixture["payload"]
    raise KeyError(kind)


def build_notification(kind: str, order: dict[str, Any], base_url: str, now: datetime, *,
                       status: str | None = None, pickup_eta: str | None = None) -> dict[str, Any]:
    """The corpus notification of ``kind`` for ``order``: a fresh id, created now."""
    note = copy.deepcopy(_template(kind))
    note["id"] = secrets.token_hex(12)
    note["order"]["id"] = order["id"]
    note["order"]["venue_id"] = order["venue"]["id"]
    note["order"]["resource_url"] = f"{base_url}/orders/{order['id']}"  # the outdated v1 payload, as documented
    if status is not None:
        note["order"]["status"] = status
    if pickup_eta is not None:
        note["courier_details"]["courier_pickup_eta"] = pickup_eta
    note["created_at"] = now.isoformat().replace("+00:00", "Z")
    return note
