"""GloriaFood's pushes as documented: the manifest's corpus fixtures, not shapes invented here.

The corpus (``integrations/channels/gloriafood/corpus/``, read as data files by path: the simulator imports
nothing of the platform) holds the Accepted Orders API's documented push (``count``, ``orders[]``) with our own
values. A push for a restaurant is one of those fixtures, field by field, with fresh order ids, the restaurant's
key, and its UTC times moved so that it is accepted now (each ``fulfill_at`` as far after as in the fixture).
"""

from __future__ import annotations

import copy
import json
import random
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parents[2] / "integrations" / "channels" / "gloriafood" / "corpus"
DEFAULT_FIXTURE = "order_delivery_online"
ISO = "%Y-%m-%dT%H:%M:%S.000Z"


@cache
def _fixtures() -> dict[str, dict[str, Any]]:
    return {path.stem: json.loads(path.read_text()) for path in sorted(CORPUS.glob("*.json"))
            if not path.name.endswith(".expected.json")}


def push_fixtures() -> list[str]:
    return [name for name, fixture in _fixtures().items() if fixture.get("notification") == "accepted_orders_push"]


def _moved(value: str, shift: Any) -> str:
    return (datetime.strptime(value, ISO).replace(tzinfo=UTC) + shift).strftime(ISO)


def build_push(fixture: str, restaurant_key: str, now: datetime) -> dict[str, Any]:
    """The fixture's push for the restaurant with ``restaurant_key``, accepted at ``now``."""
    if fixture not in push_fixtures():
        raise KeyError(f"no push fixture {fixture!r}; the corpus has {', '.join(push_fixtures())}")
    push = copy.deepcopy(_fixtures()[fixture]["payload"])
    for order in push["orders"]:
        order["id"] = random.randint(10**7, 10**8 - 1)
        order["restaurant_key"] = restaurant_key
        shift = now.replace(microsecond=0) - datetime.strptime(order["accepted_at"], ISO).replace(tzinfo=UTC)
        for key in ("accepted_at", "fulfill_at", "updated_at"):
            if order.get(key):
                order[key] = _moved(order[key], shift)
    return push
