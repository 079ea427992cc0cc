"""The channel API (``/api/v2/stores/<store_ref>/...``): what the platform's module calls.

Every call is authenticated with the store's ``X-Market-Key``, counted,
rate-limited and exposed to injected faults *before* the handler runs, in that
order, so a faulted or limited call never half-applies.
"""

from __future__ import annotations

import functools
import hmac
import json
from typing import TYPE_CHECKING, Any

from ..kit.app import Route, route
from ..kit.http import Request, Response, ok
from . import availability, faults, tickets
from . import menu as menus
from .clock import epoch
from .errors import ApiError, conflict, not_found, unprocessable
from .fields import Reader

if TYPE_CHECKING:
    from collections.abc import Callable

    from .app import Market

PREFIX = "/api/v2/stores/<store_ref>"


def store_call(fn: Callable[..., Response]) -> Callable[..., Response]:
    @functools.wraps(fn)
    def wrapper(market: Market, req: Request, store_ref: str, **params: str) -> Response:
        store = market.db.get_store(store_ref)
        if store is None:
            raise not_found("store_not_found", f"no store {store_ref}")
        key = (req.header("X-Market-Key") or "").encode("utf-8", "replace")
        if not key or not hmac.compare_digest(key, store["api_key"].encode()):
            raise ApiError(401, "unauthorized", "missing or wrong X-Market-Key")
        seen, allowed = market.limiter.observe(store_ref, store["rate_limit_per_second"])
        with market.db.tx():
            market.db.bump(store_ref, "api_calls")
            market.db.raise_peak(store_ref, seen)
            if not allowed:
                market.db.bump(store_ref, "rate_limited")
        if not allowed:
            raise ApiError(429, "rate_limited", f"more than {store['rate_limit_per_second']:g} requests per second",
                           {"Retry-After": "1"})
        faults.apply_api_fault(market, store_ref)
        return fn(market, req, store, **params)

    return wrapper


# -- tickets ---------------------------------------------------------------------------------------------------
@store_call
def get_ticket(market: Market, req: Request, store: dict[str, Any], ticket_id: str) -> Response:
    return ok(tickets.get(market, ticket_id, store["store_ref"])[0])


@store_call
def get_ticket_state(market: Market, req: Request, store: dict[str, Any], ticket_id: str) -> Response:
    ticket, changed_at = tickets.get(market, ticket_id, store["store_ref"])
    return ok({"ticket_id": ticket_id, "state": ticket["state"], "changed_at": changed_at})


@store_call
def post_ticket_state(market: Market, req: Request, store: dict[str, Any], ticket_id: str) -> Response:
    ticket, _changed = tickets.change_state(market, ticket_id, req.json(), store_ref=store["store_ref"],
                                            by_channel=False)
    return ok(ticket)


@store_call
def post_courier_position(market: Market, req: Request, store: dict[str, Any], ticket_id: str) -> Response:
    ticket, _ = tickets.get(market, ticket_id, store["store_ref"])
    if ticket["kind"] != "HOME_DELIVERY":
        raise conflict("not_a_delivery", f"{ticket_id} is a {ticket['kind']} ticket: no courier to place")
    r = Reader(req.json(), "body", "invalid_position")
    lat = r.number("lat", minimum=-90, maximum=90)
    lng = r.number("lng", minimum=-180, maximum=180)
    recorded = r.string("recorded_at")
    if r.moment("recorded_at") is None:
        raise unprocessable("invalid_position", "recorded_at must be an ISO-8601 date-time")
    market.db.add_log(store["store_ref"], "courier_position", ticket_id,
                      {"lat": lat, "lng": lng, "recorded_at": recorded})
    return ok({"accepted": True, "ticket_id": ticket_id}, 202)


# -- menu ------------------------------------------------------------------------------------------------------
@store_call
def put_menu(market: Market, req: Request, store: dict[str, Any]) -> Response:
    menu = menus.validate(req.json(), store["currency"])
    failing = market.db.take_fault(store["store_ref"], ("menu_upload_failed",)) is not None
    seq = market.db.next_value("upload")
    upload_id = f"UP-{seq:06d}"
    market.db.insert_upload(upload_id, seq, store["store_ref"], menu,
                            epoch() + float(store["menu_processing_seconds"] or 0), failing)
    market.db.add_log(store["store_ref"], "menu", None, {"upload_id": upload_id, "menu": menu})
    return ok({"upload_id": upload_id, "status": "processing"}, 202)


@store_call
def get_menu(market: Market, req: Request, store: dict[str, Any]) -> Response:
    market.settle_uploads(store["store_ref"])
    return ok(market.db.get_menu(store["store_ref"]) or {"currency": store["currency"], "menus": []})


@store_call
def get_upload(market: Market, req: Request, store: dict[str, Any], upload_id: str) -> Response:
    market.settle_uploads(store["store_ref"])
    row = market.db.get_upload(store["store_ref"], upload_id)
    if row is None:
        raise not_found("upload_not_found", f"no menu upload {upload_id}")
    return ok({"upload_id": upload_id, "status": row["status"], "errors": json.loads(row["errors"]),
               "created_at": row["created_at"]})


@store_call
def patch_item(market: Market, req: Request, store: dict[str, Any], plu: str) -> Response:
    body = req.json()
    with market.db.tx():
        market.settle_uploads(store["store_ref"])
        current = market.db.get_menu(store["store_ref"])
        result = menus.patch(current, plu, body) if current else None
        if result is None:
            raise not_found("item_not_found", f"no item, size or extra with plu {plu!r} in the published menu")
        new_menu, entry = result
        meta = market.db.get_menu_meta(store["store_ref"]) or {}
        market.db.set_menu(store["store_ref"], new_menu, meta.get("upload_id"))
        market.db.add_log(store["store_ref"], "menu_item", None, {"plu": plu, **body})
    return ok(entry)


# -- availability ----------------------------------------------------------------------------------------------
@store_call
def put_hours(market: Market, req: Request, store: dict[str, Any]) -> Response:
    hours = availability.validate_hours(req.json())
    market.db.set_hours(store["store_ref"], hours)
    market.db.add_log(store["store_ref"], "opening_hours", None, hours)
    return ok(hours)


@store_call
def get_hours(market: Market, req: Request, store: dict[str, Any]) -> Response:
    return ok(market.db.get_hours(store["store_ref"]) or {"timezone": None, "weekly": [], "exceptions": []})


@store_call
def post_pause(market: Market, req: Request, store: dict[str, Any]) -> Response:
    until, reason = availability.validate_pause(req.json())
    market.db.set_pause(store["store_ref"], True, until, reason)
    market.db.add_log(store["store_ref"], "pause", None, {"until": until, "reason": reason})
    return ok({"paused": True, "until": until, "reason": reason})


@store_call
def delete_pause(market: Market, req: Request, store: dict[str, Any]) -> Response:
    market.db.set_pause(store["store_ref"], False, None, None)
    market.db.add_log(store["store_ref"], "resume", None, {})
    return ok({"paused": False})


@store_call
def get_status(market: Market, req: Request, store: dict[str, Any]) -> Response:
    return ok(availability.status(market.db.get_pause(store["store_ref"])))


ROUTES: list[Route] = [
    route("GET", f"{PREFIX}/tickets/<ticket_id>", get_ticket),
    route("GET", f"{PREFIX}/tickets/<ticket_id>/state", get_ticket_state),
    route("POST", f"{PREFIX}/tickets/<ticket_id>/state", post_ticket_state),
    route("POST", f"{PREFIX}/tickets/<ticket_id>/courier-position", post_courier_position),
    route("PUT", f"{PREFIX}/menu", put_menu),
    route("GET", f"{PREFIX}/menu", get_menu),
    route("GET", f"{PREFIX}/menu/uploads/<upload_id>", get_upload),
    route("PATCH", f"{PREFIX}/menu/items/<plu>", patch_item),
    route("PUT", f"{PREFIX}/opening-hours", put_hours),
    route("GET", f"{PREFIX}/opening-hours", get_hours),
    route("POST", f"{PREFIX}/pause", post_pause),
    route("DELETE", f"{PREFIX}/pause", delete_pause),
    route("GET", f"{PREFIX}/status", get_status),
]
