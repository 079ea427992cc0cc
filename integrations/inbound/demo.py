"""Demo traffic: the Sandbox Market creates orders and reservations at a steady rate (``make demo`` runs it).

Talks to the market's control API over plain HTTP, exactly as a test does, so
what appears in admin arrived through real signed webhooks.
"""

from __future__ import annotations

import logging
import random
import threading

import requests

logger = logging.getLogger(__name__)

ORDER_KINDS = ("HOME_DELIVERY", "HOME_DELIVERY", "TAKEAWAY", "EAT_IN")
RESERVATION_SHARE = 0.25
# Now and then the channel side moves an earlier order, so status webhooks show up too.
CHANNEL_MOVES = {"NEW": "VOIDED", "PENDING": "BOOKED"}
CHANNEL_MOVE_SHARE = 0.15


def create_one(session: requests.Session, market_url: str, store_ref: str, rng: random.Random) -> dict:
    """One order (random basket from the store's menu) or, a quarter of the time, a table booking."""
    base = f"{market_url.rstrip('/')}/_control/stores/{store_ref}"
    if rng.random() < RESERVATION_SHARE:
        response = session.post(f"{base}/bookings", json={"covers": rng.randint(2, 8)}, timeout=10)
    else:
        response = session.post(f"{base}/tickets", json={"kind": rng.choice(ORDER_KINDS)}, timeout=10)
    response.raise_for_status()
    return response.json()


def run_order_generator(market_url: str, store_ref: str, per_minute: float, stop: threading.Event) -> int:
    """Create ``per_minute`` orders/reservations a minute until ``stop`` is set; returns how many were made.

    Errors (the market restarting, a fault injected by hand) are logged and the
    generator carries on at the same pace.
    """
    interval = 60.0 / max(per_minute, 0.01)
    rng = random.Random()
    session = requests.Session()
    made: list[dict] = []
    while not stop.is_set():
        try:
            made.append(create_one(session, market_url, store_ref, rng))
            if len(made) > 1 and rng.random() < CHANNEL_MOVE_SHARE:
                _move_on_the_channel(session, market_url, rng.choice(made[:-1]))
        except requests.RequestException as exc:
            logger.warning("demo order generator: %s", exc)
        stop.wait(interval)
    session.close()
    return len(made)


def _move_on_the_channel(session: requests.Session, market_url: str, ticket: dict) -> None:
    target = CHANNEL_MOVES.get(ticket.get("state", ""))
    if target is None:
        return
    ticket_id = ticket["ticket_id"]
    url = f"{market_url.rstrip('/')}/_control/tickets/{ticket_id}/state"
    body = {"state": target, "reason": "customer changed their mind"} if target == "VOIDED" else {"state": target}
    response = session.post(url, json=body, timeout=10)
    if response.ok:
        ticket["state"] = target
