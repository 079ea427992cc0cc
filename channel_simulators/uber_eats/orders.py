"""Orders and webhooks as Uber documents them: served from the module's conformance corpus, not invented here.

The corpus (``integrations/channels/uber_eats/corpus/``, read as data files by path: the simulator imports
nothing of the platform) holds Uber's documented shapes with our own values. A new order is one of its
``get_order_*`` fixtures, field by field, with three things made fresh so an order can be created again and
again: its UUID (and ``display_id``, "the last 5 characters of the Order UUID"), the store it is for, and its
instants, moved so that it is placed now (each keeps its documented local offset). The webhook that announces
it is the corpus webhook of that event type with the same fresh ids and ``event_time``. A simulator built this
way cannot agree with a wrong module by construction: both meet the documentation's shapes.
"""

from __future__ import annotations

import copy
import json
import uuid
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parents[2] / "integrations" / "channels" / "uber_eats" / "corpus"
DEFAULT_FIXTURE = "get_order_nested_modifiers_removed_item"
"""A new order Uber has just created (CREATED, DELIVERY_BY_UBER): the documented nested options and removals."""
NEW_ORDER_EVENT = "orders.notification"


@cache
def _fixtures() -> dict[str, dict[str, Any]]:
    return {path.stem: json.loads(path.read_text()) for path in sorted(CORPUS.glob("*.json"))
            if not path.name.endswith(".expected.json")}


def order_fixtures() -> list[str]:
    """The names of the corpus' GET order responses (``get_order_*``)."""
    return [name for name, fixture in _fixtures().items() if fixture["kind"] == "get_order"]


def order_fixture(name: str) -> dict[str, Any]:
    if name not in order_fixtures():
        raise KeyError(f"no order fixture {name!r}; the corpus has {', '.join(order_fixtures())}")
    return _fixtures()[name]


def _webhook_templates() -> dict[str, dict[str, Any]]:
    return {fixture["payload"]["event_type"]: fixture["payload"] for fixture in _fixtures().values()
            if fixture["kind"] == "webhook"}


def _shift(value: str | None, delta: timedelta) -> str | None:
    """An ISO-8601 instant moved by ``delta``, written with the offset it had."""
    if not value:
        return value
    instant = datetime.fromisoformat(value.replace("Z", "+00:00"))
    moved = (instant + delta).isoformat()
    return moved.replace("+00:00", "Z") if value.endswith("Z") else moved


def announcing_event(name: str) -> str:
    """The event type that announces the fixture's order (its ``trigger``, else ``orders.notification``)."""
    trigger = order_fixture(name).get("trigger") or {}
    return (trigger.get("payload") or {}).get("event_type", NEW_ORDER_EVENT)


def build_order(store_id: str, fixture: str, now: datetime, order_id: str | None = None) -> dict[str, Any]:
    """The fixture's order as ``GET /v2/eats/order/{id}`` returns it, fresh ids, placed at ``now``."""
    order = copy.deepcopy(order_fixture(fixture)["payload"])
    order_id = order_id or str(uuid.uuid4())
    order["id"] = order_id
    order["display_id"] = order_id[-5:].upper()
    order.setdefault("store", {})["id"] = store_id
    delta = now - datetime.fromisoformat(order["placed_at"].replace("Z", "+00:00"))
    for key in ("placed_at", "estimated_ready_for_pickup_at"):
        if key in order:
            order[key] = _shift(order[key], delta)
    for delivery in order.get("deliveries") or ():
        if "estimated_pickup_time" in delivery:
            delivery["estimated_pickup_time"] = _shift(delivery["estimated_pickup_time"], delta)
    return order


def build_webhook(event_type: str, order_id: str, store_id: str, event_time: int, base_url: str) -> dict[str, Any]:
    """The corpus webhook of ``event_type`` (the common structure when the corpus has none) for this order."""
    template = _webhook_templates().get(event_type) or _webhook_templates()[NEW_ORDER_EVENT]
    event = copy.deepcopy(template)
    event["event_type"] = event_type
    event["event_id"] = str(uuid.uuid4())
    event["event_time"] = event_time
    event["meta"] = {**event.get("meta", {}), "resource_id": order_id, "user_id": store_id}
    event["resource_href"] = f"{base_url}/v2/eats/order/{order_id}"
    return event
