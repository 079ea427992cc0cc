"""Ticket life cycle: creation on the channel side and state changes from either side.

The same transition rules apply whoever moves the state; only who moved it
differs: a change made by the store through the API is not echoed back as a
webhook (the store already knows), a change made on the channel side is.
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from . import baskets, menu, money, states
from .clock import iso, now_iso, utcnow
from .errors import ApiError, conflict, not_found, unprocessable
from .fields import Reader, lst

if TYPE_CHECKING:
    from .app import Market

PAYMENT_METHODS = ("CARD", "CASH", "ONLINE")


def published_or_demo_menu(market: Market, store_ref: str) -> dict[str, Any]:
    market.settle_uploads(store_ref)
    return market.db.get_menu(store_ref) or baskets.DEMO_MENU


def _given_line(data: Any, path: str, catalog: dict[str, Any], extra_of: dict[str, Any] | None = None
                ) -> dict[str, Any]:
    """A basket line given by the caller; title/price/vat default from the menu when the plu is known."""
    r = Reader(data, path)
    plu = r.string("plu", max_len=64)
    assert plu is not None
    found = menu.find(catalog, plu)
    entry, parent = (found[1], found[2]) if found else ({}, None)
    vat_default = entry.get("vat_pct", (parent or {}).get("vat_pct"))
    title_default = entry.get("title")
    if found and found[0] == "size" and parent:
        title_default = f"{parent['title']} ({entry['title']})"
    line: dict[str, Any] = {
        "line_ref": r.string("line_ref", required=False, default=None),
        "plu": plu,
        "title": r.string("title", required=title_default is None, default=title_default),
        "qty": r.integer("qty", required=False, default=1, minimum=1, maximum=99),
        "unit_cents": r.integer("unit_cents", required="price_cents" not in entry,
                                default=entry.get("price_cents"), minimum=0),
        "vat_pct": r.number("vat_pct", required=vat_default is None, default=vat_default, minimum=0, maximum=100),
    }
    if extra_of is None:
        extras = lst(r.data.get("extras", []), f"{path}.extras")
        line["extras"] = [_given_line(e, f"{path}.extras[{i}]", catalog, line) for i, e in enumerate(extras)]
    return line


def _number_lines(basket: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for n, line in enumerate(basket, start=1):
        line["line_ref"] = line["line_ref"] or f"L{n}"
        for k, extra in enumerate(line.get("extras", []), start=1):
            extra["line_ref"] = extra["line_ref"] or f"{line['line_ref']}.{k}"
    return basket


def _base_ticket(market: Market, store: dict[str, Any], kind: str, rng: random.Random, r: Reader
                 ) -> dict[str, Any]:
    seq = market.db.next_value("ticket")
    customer = r.data.get("customer")
    return {"ticket_id": f"SM-{seq:06d}", "pickup_code": baskets.pickup_code(rng), "store_ref": store["store_ref"],
            "kind": kind, "state": states.initial_state(kind), "placed_at": now_iso(), "wanted_at": None,
            "customer": customer if isinstance(customer, dict) else baskets.random_customer(rng),
            "drop_off": None, "basket": [], "totals": {}, "payment": {"method": "ONLINE", "paid": True},
            "covers": None, "booking_at": None, "comment": "", "courier": None, "_seq": seq}


def _store_row(market: Market, seq: int, ticket: dict[str, Any]) -> dict[str, Any]:
    market.db.insert_ticket(seq, ticket)
    return ticket


def create_order(market: Market, store: dict[str, Any], body: Any) -> dict[str, Any]:
    rng = random.Random()
    r = Reader(body if body is not None else {})
    kind = r.choice("kind", states.ORDER_KINDS, required=False, default="HOME_DELIVERY")
    assert kind is not None
    catalog = published_or_demo_menu(market, store["store_ref"])
    if r.has("basket") and r.data["basket"] is not None:
        lines = lst(r.data["basket"], "basket")
        if not lines:
            raise unprocessable("invalid_request", "basket must not be empty")
        basket = _number_lines([_given_line(line, f"basket[{i}]", catalog) for i, line in enumerate(lines)])
    else:
        basket = baskets.random_basket(catalog, rng)
        if not basket:
            raise conflict("menu_has_no_available_items", "the published menu has no available item to order")
    wanted = r.moment("wanted_at", required=False)
    method = r.choice("payment_method", PAYMENT_METHODS, required=False, default="ONLINE")
    delivery_default = 250 if kind == "HOME_DELIVERY" else 0
    fee = r.integer("delivery_fee_cents", required=False, default=delivery_default, minimum=0)
    tip = r.integer("tip_cents", required=False, default=0, minimum=0)
    discount = r.integer("discount_cents", required=False, default=0, minimum=0)
    comment = r.string("comment", required=False, default=None, nonempty=False)
    ticket = _base_ticket(market, store, kind, rng, r)
    seq = ticket.pop("_seq")
    drop_off = r.data.get("drop_off")
    ticket.update({
        "wanted_at": iso(wanted) if wanted else None,
        "drop_off": (drop_off if isinstance(drop_off, dict) else baskets.random_drop_off(rng))
        if kind == "HOME_DELIVERY" else None,
        "basket": basket,
        "totals": money.totals(basket, delivery_fee_cents=fee or 0, tip_cents=tip or 0,
                               discount_cents=discount or 0, currency=store["currency"]),
        "payment": {"method": method, "paid": method != "CASH"},
        "comment": comment if comment is not None else baskets.random_comment(rng),
        "courier": r.data.get("courier") if isinstance(r.data.get("courier"), dict) else None,
    })
    _store_row(market, seq, ticket)
    market.webhooks.emit(store, "ticket.created", ticket)
    return ticket


def create_booking(market: Market, store: dict[str, Any], body: Any) -> dict[str, Any]:
    rng = random.Random()
    r = Reader(body if body is not None else {})
    covers = r.integer("covers", required=False, default=rng.randint(2, 6), minimum=1, maximum=500)
    at = r.moment("booking_at", required=False)
    if at is None:
        at = (utcnow() + timedelta(days=1)).replace(hour=19, minute=30, second=0, microsecond=0)
    comment = r.string("comment", required=False, default="", nonempty=False)
    ticket = _base_ticket(market, store, states.BOOKING_KIND, rng, r)
    seq = ticket.pop("_seq")
    ticket.update({"covers": covers, "booking_at": iso(at), "comment": comment,
                   "payment": {"method": "ONLINE", "paid": False},
                   "totals": money.totals([], delivery_fee_cents=0, tip_cents=0, discount_cents=0,
                                          currency=store["currency"])})
    _store_row(market, seq, ticket)
    market.webhooks.emit(store, "booking.created", ticket)
    return ticket


def get(market: Market, ticket_id: str, store_ref: str | None = None) -> tuple[dict[str, Any], str]:
    found = market.db.get_ticket(ticket_id)
    if found is None or (store_ref is not None and found[0]["store_ref"] != store_ref):
        raise not_found("ticket_not_found", f"no ticket {ticket_id}" + (f" in store {store_ref}" if store_ref else ""))
    return found


def change_state(market: Market, ticket_id: str, body: Any, *, store_ref: str | None, by_channel: bool
                 ) -> tuple[dict[str, Any], bool]:
    """Validate and apply a state change; returns (ticket, changed). Idempotent for the current state."""
    r = Reader(body)
    raw = r.data.get("state")
    if not isinstance(raw, str) or not raw:
        raise unprocessable("unknown_state", "state is required")
    with market.db.tx():
        ticket, _changed_at = get(market, ticket_id, store_ref)
        allowed = states.states_for(ticket["kind"])
        if raw not in allowed:
            raise unprocessable("unknown_state",
                                f"{raw!r} is not a state of {ticket['kind']} tickets (one of {', '.join(allowed)})")
        prep = r.integer("prep_minutes", required=False, minimum=0, maximum=1440)
        reason = r.string("reason", required=False, default=None, max_len=500)
        if raw in states.REASON_REQUIRED and not reason:
            if not by_channel:
                raise unprocessable("reason_required", f"a reason is required to move a ticket to {raw}")
            reason = "changed on the market"
        current = ticket["state"]
        if raw != current and not states.can_move(ticket["kind"], current, raw):
            raise ApiError(409, "invalid_transition", f"{ticket_id} cannot go from {current} to {raw}")
        if not by_channel:
            payload: dict[str, Any] = {"state": raw, "previous_state": current}
            if prep is not None:
                payload["prep_minutes"] = prep
            if reason:
                payload["reason"] = reason
            if raw == current:
                payload["unchanged"] = True
            market.db.add_log(ticket["store_ref"], "state", ticket_id, payload)
        if raw == current:
            return ticket, False
        ticket["state"] = raw
        market.db.update_ticket(ticket, now_iso())
    if by_channel:
        store = market.db.get_store(ticket["store_ref"])
        if store is not None:
            market.webhooks.emit(store, "ticket.state_changed", ticket, state=raw, previous_state=current)
    return ticket, True
