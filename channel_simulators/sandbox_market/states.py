"""The market's ticket state machines.

Forward only along the happy path (skipping steps is allowed, e.g. a takeaway
goes READY -> HANDED_OVER); the side exits have their own rules. The market
enforces this so a platform that sends states out of order sees a real 409.
"""

from __future__ import annotations

ORDER_FLOW = ("NEW", "CONFIRMED", "IN_KITCHEN", "READY", "ON_THE_WAY", "HANDED_OVER")
ORDER_STATES = (*ORDER_FLOW, "DECLINED", "VOIDED")
ORDER_FINAL = frozenset({"DECLINED", "HANDED_OVER", "VOIDED"})

BOOKING_FLOW = ("PENDING", "BOOKED", "ARRIVED", "FINISHED")
BOOKING_STATES = (*BOOKING_FLOW, "REFUSED", "VOIDED", "NO_SHOW")
BOOKING_FINAL = frozenset({"REFUSED", "FINISHED", "VOIDED", "NO_SHOW"})

ALL_STATES = tuple(dict.fromkeys((*ORDER_STATES, *BOOKING_STATES)))
REASON_REQUIRED = frozenset({"DECLINED", "REFUSED", "VOIDED"})

ORDER_KINDS = ("HOME_DELIVERY", "TAKEAWAY", "EAT_IN")
BOOKING_KIND = "TABLE_BOOKING"
KINDS = (*ORDER_KINDS, BOOKING_KIND)


def states_for(kind: str) -> tuple[str, ...]:
    return BOOKING_STATES if kind == BOOKING_KIND else ORDER_STATES


def initial_state(kind: str) -> str:
    return "PENDING" if kind == BOOKING_KIND else "NEW"


def is_final(kind: str, state: str) -> bool:
    return state in (BOOKING_FINAL if kind == BOOKING_KIND else ORDER_FINAL)


def can_move(kind: str, current: str, target: str) -> bool:
    """Whether ``current -> target`` is allowed (``current == target`` is handled by the caller)."""
    if is_final(kind, current):
        return False
    if target == "VOIDED":
        return True
    if kind == BOOKING_KIND:
        if target == "REFUSED":
            return current == "PENDING"
        if target == "NO_SHOW":
            return current in ("PENDING", "BOOKED")
        flow = BOOKING_FLOW
    else:
        if target == "DECLINED":
            return current == "NEW"
        flow = ORDER_FLOW
    return current in flow and target in flow and flow.index(target) > flow.index(current)
