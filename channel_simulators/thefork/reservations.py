"""Reservations, customers and webhooks as TheFork documents them: served from the module's conformance corpus.

The corpus (``integrations/channels/thefork/corpus/``, read as data files by path: the simulator imports
nothing of the platform) holds TheFork's documented shapes with our own values. A new reservation is one of its
``get_reservation_*`` fixtures, field by field, with what must be fresh so one can be made again and again: the
reservation's and its customer's uuids, the restaurant it is for, and its meal date (moved to the same time
tomorrow). A webhook is the corpus webhook of that event type with the fresh ids.
"""

from __future__ import annotations

import copy
import json
import uuid
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parents[2] / "integrations" / "channels" / "thefork" / "corpus"
DEFAULT_FIXTURE = "get_reservation_recorded"
"""A reservation TheFork has just recorded ("most frequent status, reservation is confirmed"), with its guest."""


@cache
def _fixtures() -> dict[str, dict[str, Any]]:
    return {path.stem: json.loads(path.read_text()) for path in sorted(CORPUS.glob("*.json"))
            if not path.name.endswith(".expected.json")}


def reservation_fixtures() -> list[str]:
    return [name for name, fixture in _fixtures().items() if fixture["kind"] == "get_order"]


def _webhook_template(event_type: str) -> dict[str, Any]:
    for fixture in _fixtures().values():
        if fixture["kind"] == "webhook" and fixture["payload"]["eventType"] == event_type:
            return fixture["payload"]
    raise KeyError(f"the corpus has no {event_type} webhook")


def _tomorrow(value: str, now: datetime) -> str:
    """The meal date moved to the same time of day tomorrow, written as documented (UTC, milliseconds)."""
    meal = datetime.fromisoformat(value.replace("Z", "+00:00"))
    moved = meal.replace(year=now.year, month=now.month, day=now.day) + timedelta(days=1)
    return moved.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def build_reservation(fixture: str, restaurant_uuid: str, now: datetime,
                      reservation_uuid: str | None = None) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The fixture's reservation as ``GET /v1/reservations/{id}`` returns it, and its customer, fresh ids."""
    if fixture not in reservation_fixtures():
        raise KeyError(f"no reservation fixture {fixture!r}; the corpus has {', '.join(reservation_fixtures())}")
    source = _fixtures()[fixture]
    reservation = copy.deepcopy(source["payload"])
    reservation["reservationUuid"] = reservation_uuid or str(uuid.uuid4())
    reservation["restaurantUuid"] = restaurant_uuid
    reservation["mealDate"] = _tomorrow(reservation["mealDate"], now)
    customer = None
    for related in source.get("related", ()):
        customer = copy.deepcopy(related["payload"])
        customer["customerUuid"] = str(uuid.uuid4())
        reservation["customerUuid"] = customer["customerUuid"]
    return reservation, customer


def build_webhook(event_type: str, reservation: dict[str, Any], group_uuid: str) -> dict[str, Any]:
    event = copy.deepcopy(_webhook_template(event_type))
    event["uuid"] = reservation["reservationUuid"]
    event["restaurantUuid"] = reservation["restaurantUuid"]
    event["groupUuid"] = group_uuid
    return event
