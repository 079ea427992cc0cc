"""An expected file's ``reservations``: each reservation a webhook fixture carries, compared with the module's.

A push may carry several orders, some of them reservations (GloriaFood's table reservations among its accepted
orders). ``order`` and ``event`` describe the first one; ``reservations`` is a list, one entry per reservation of
the fixture, each keyed as ``order`` is (compared by the same rules, ``integrations.channels.conformance``) plus
``diners`` and ``reservation_at``, the two facts of a booking. Each entry names its ``channel_order_id``; the
module must give a ``new_reservation`` event for it whose order is a reservation.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from canonical import InboundEvent, InboundEventKind, ServiceType
from integrations.channels.conformance import Comparison, compare_order

BOOKING_KEYS = ("diners", "reservation_at")


def _instant(value: Any) -> datetime | None:
    return None if value is None else datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def compare_reservations(expected: Sequence[dict[str, Any]], events: Sequence[InboundEvent]) -> Comparison:
    """Each expected reservation against the module's ``new_reservation`` event for the same channel order id."""
    result = Comparison()
    for index, want in enumerate(expected):
        where = f"reservations[{index}]"
        channel_order_id = str(want.get("channel_order_id") or "")
        event = next((e for e in events if e.channel_order_id == channel_order_id), None)
        if event is None or event.kind != InboundEventKind.NEW_RESERVATION or event.order is None:
            found = f"a {event.kind} event" if event is not None else "no event"
            result.mismatches.append(f"{where}: expected a new reservation {channel_order_id!r}, got {found}")
            continue
        reservation = event.order
        if reservation.service_type != ServiceType.RESERVATION:
            result.mismatches.append(f"{where}: order {channel_order_id!r} is {reservation.service_type}, "
                                     "not a reservation")
        if "diners" in want and want["diners"] != reservation.diners:
            result.mismatches.append(f"{where}.diners: expected {want['diners']!r}, got {reservation.diners!r}")
        if "reservation_at" in want and _instant(want["reservation_at"]) != reservation.reservation_at:
            result.mismatches.append(f"{where}.reservation_at: expected {want['reservation_at']}, got "
                                     f"{reservation.reservation_at}")
        rest = {key: value for key, value in want.items() if key not in BOOKING_KEYS}
        found = compare_order(rest, reservation, [event])
        result.mismatches += [_under(where, mismatch) for mismatch in found.mismatches]
        result.pending += [_under(where, pending) for pending in found.pending]
    return result


def _under(where: str, text: str) -> str:
    """``order.customer.name: ...`` as ``reservations[0].customer.name: ...``."""
    return where + text[len("order"):] if text.startswith("order") else f"{where}: {text}"
