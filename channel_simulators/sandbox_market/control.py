"""Test and demo controls (``/_control/...``): play the channel's side and inspect what the store did.

No authentication on purpose: the market is a local fake; these endpoints
are how a test arranges a scenario and asserts on its outcome.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from ..kit.app import Route, route
from ..kit.http import Request, Response, ok
from . import faults, tickets
from .errors import not_found, unprocessable
from .fields import Reader

if TYPE_CHECKING:
    from .app import Market

STORE_REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
LOG_KINDS = ("state", "courier_position", "menu", "menu_item", "opening_hours", "pause", "resume")


def _store_or_404(market: Market, store_ref: str) -> dict[str, Any]:
    store = market.db.get_store(store_ref)
    if store is None:
        raise not_found("store_not_found", f"no store {store_ref}")
    return store


def _url(value: str | None, key: str) -> str | None:
    if value is None:
        return None
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise unprocessable("invalid_request", f"{key} must be an http(s) URL")
    return value


def register_store(market: Market, req: Request) -> Response:
    """Create or update a store; fields left out of an update keep their value."""
    r = Reader(req.json())
    store_ref = r.string("store_ref", max_len=64)
    assert store_ref is not None
    if not STORE_REF.match(store_ref):
        raise unprocessable("invalid_request", "store_ref may only use letters, digits, '.', '_' and '-'")
    old = market.db.get_store(store_ref) or {}
    store = {
        "store_ref": store_ref,
        "api_key": r.string("api_key", required=not old, default=old.get("api_key"), max_len=500),
        "webhook_url": _url(r.string("webhook_url", required=False, default=None), "webhook_url")
        if r.has("webhook_url") else old.get("webhook_url"),
        "webhook_secret": r.string("webhook_secret", required=False, default=None, max_len=500)
        if r.has("webhook_secret") else old.get("webhook_secret"),
        "currency": (r.string("currency", required=False, default=old.get("currency", "EUR")) or "EUR").upper(),
        "thin_webhooks": r.boolean("thin_webhooks", required=False, default=old.get("thin_webhooks", False)),
        "rate_limit_per_second": r.number("rate_limit_per_second", required=False, minimum=0.001, maximum=100000)
        if r.has("rate_limit_per_second") else old.get("rate_limit_per_second"),
        "menu_processing_seconds": r.number("menu_processing_seconds", required=False,
                                            default=old.get("menu_processing_seconds", 0), minimum=0,
                                            maximum=3600),
    }
    if len(store["currency"]) != 3 or not store["currency"].isalpha():
        raise unprocessable("invalid_request", "currency must be a 3-letter ISO code")
    created = market.db.save_store(store)
    saved = market.db.get_store(store_ref)
    assert saved is not None
    return ok(market.db.public_store(saved), 201 if created else 200)


def list_stores(market: Market, req: Request) -> Response:
    return ok({"stores": [market.db.public_store(s) for s in market.db.list_stores()]})


def get_store(market: Market, req: Request, store_ref: str) -> Response:
    return ok(market.db.public_store(_store_or_404(market, store_ref)))


def reset(market: Market, req: Request) -> Response:
    market.reset()
    return ok({"reset": True})


def create_ticket(market: Market, req: Request, store_ref: str) -> Response:
    return ok(tickets.create_order(market, _store_or_404(market, store_ref), req.json()), 201)


def create_booking(market: Market, req: Request, store_ref: str) -> Response:
    return ok(tickets.create_booking(market, _store_or_404(market, store_ref), req.json()), 201)


def get_ticket(market: Market, req: Request, ticket_id: str) -> Response:
    ticket, changed_at = tickets.get(market, ticket_id)
    return ok({**ticket, "changed_at": changed_at})


def change_state(market: Market, req: Request, ticket_id: str) -> Response:
    ticket, _changed = tickets.change_state(market, ticket_id, req.json(), store_ref=None, by_channel=True)
    return ok(ticket)


def add_fault(market: Market, req: Request) -> Response:
    return ok(faults.add(market, req.json()), 201)


def list_faults(market: Market, req: Request) -> Response:
    return ok({"faults": market.db.list_faults()})


def clear_faults(market: Market, req: Request) -> Response:
    market.db.clear_faults()
    return ok({"faults": []})


def log(market: Market, req: Request) -> Response:
    kind = req.query.get("kind") or None
    if kind is not None and kind not in LOG_KINDS:
        raise unprocessable("invalid_request", f"kind must be one of {', '.join(LOG_KINDS)}")
    return ok({"entries": market.db.log_entries(req.query.get("store_ref") or None, kind)})


def webhooks(market: Market, req: Request) -> Response:
    return ok({"deliveries": market.db.deliveries(req.query.get("store_ref") or None)})


def stats(market: Market, req: Request) -> Response:
    return ok({"stores": market.db.stats()})


def health(market: Market, req: Request) -> Response:
    return ok({"ok": True})


ROUTES: list[Route] = [
    route("POST", "/_control/stores", register_store),
    route("GET", "/_control/stores", list_stores),
    route("GET", "/_control/stores/<store_ref>", get_store),
    route("POST", "/_control/reset", reset),
    route("POST", "/_control/stores/<store_ref>/tickets", create_ticket),
    route("POST", "/_control/stores/<store_ref>/bookings", create_booking),
    route("GET", "/_control/tickets/<ticket_id>", get_ticket),
    route("POST", "/_control/tickets/<ticket_id>/state", change_state),
    route("POST", "/_control/faults", add_fault),
    route("GET", "/_control/faults", list_faults),
    route("DELETE", "/_control/faults", clear_faults),
    route("GET", "/_control/log", log),
    route("GET", "/_control/webhooks", webhooks),
    route("GET", "/_control/stats", stats),
    route("GET", "/_control/health", health),
]
