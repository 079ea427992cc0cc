"""What staff may do to an order from its ticket in admin, and the one way each move is made.

A move is a status the order's flow allows now (``canonical.state_machine.decide``), made through
``change_order_status`` as the POS API makes it: the order moves, the history says "staff", and
the channel hears of it through the outbox. A refused move changes nothing and says why, in words
staff can act on. Rejecting or cancelling an order may also say why in the canonical words (a
``RefusalReason``) and, for "items out of stock", which of the order's SKUs; each channel module
turns them into its own codes. Resending the last status and fetching the order again are their own services
(``outbound.resend``, ``inbound.fetch_again``); the admin only calls these.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from canonical import OrderStatus, RefusalReason, ServiceType
from canonical.state_machine import decide, flow_for
from orders.models import Order, StatusChange, StatusSource

from .outbound.services import change_order_status


class MoveRefused(Exception):
    """The move was not made; the message says why (nothing was written)."""


@dataclass(frozen=True)
class TicketMove:
    """A button on the ticket: the status it moves to, for which orders, and whether it asks for a reason.

    ``takes_reason_code``: the reason may be given as a ``RefusalReason`` (then the text is optional:
    the code's label is sent when none is written), with the out-of-stock SKUs for ``items_unavailable``.
    """

    name: str
    label: str
    status: str
    reservations: bool
    needs_reason: bool = False
    asks_prep_minutes: bool = False
    takes_reason_code: bool = False


MOVES: tuple[TicketMove, ...] = (
    TicketMove("accept", _("Accept"), OrderStatus.ACCEPTED, reservations=False, asks_prep_minutes=True),
    TicketMove("reject", _("Reject"), OrderStatus.REJECTED, reservations=False, needs_reason=True,
               takes_reason_code=True),
    TicketMove("preparing", _("Preparing"), OrderStatus.PREPARING, reservations=False),
    TicketMove("ready", _("Ready"), OrderStatus.READY, reservations=False),
    TicketMove("picked_up", _("Picked up"), OrderStatus.PICKED_UP, reservations=False),
    TicketMove("delivered", _("Delivered"), OrderStatus.DELIVERED, reservations=False),
    TicketMove("cancel", _("Cancel the order"), OrderStatus.CANCELLED, reservations=False, needs_reason=True,
               takes_reason_code=True),
    TicketMove("confirm", _("Confirm the table"), OrderStatus.CONFIRMED, reservations=True),
    TicketMove("refuse", _("Refuse the table"), OrderStatus.REJECTED, reservations=True, needs_reason=True),
    TicketMove("arrived", _("Guests arrived"), OrderStatus.ARRIVED, reservations=True),
    TicketMove("seat", _("Seat the guests"), OrderStatus.SEATED, reservations=True),
    TicketMove("complete", _("Guests left"), OrderStatus.COMPLETED, reservations=True),
    TicketMove("no_show", _("No-show"), OrderStatus.NO_SHOW, reservations=True),
    TicketMove("cancel", _("Cancel the reservation"), OrderStatus.CANCELLED, reservations=True, needs_reason=True),
)


def moves_for(order: Order) -> list[TicketMove]:
    """The moves of the order's kind (order or reservation) whose status belongs to its flow."""
    statuses = flow_for(order.service_type).statuses
    reservation = order.service_type == ServiceType.RESERVATION
    return [move for move in MOVES if move.reservations == reservation and move.status in statuses]


def allowed_moves(order: Order) -> list[TicketMove]:
    """The moves the state machine allows from where the order is now: the ticket's buttons."""
    return [move for move in moves_for(order) if decide(order.service_type, order.status, move.status).applied]


def order_skus(order: Order) -> list[tuple[str, str]]:
    """The order's lines (products, then their options) that carry a SKU, as (sku, name): what may be out of stock."""
    seen: dict[str, str] = {}
    lines = order.lines.exclude(sku="").order_by(F("parent_id").asc(nulls_first=True), "position", "id")
    for sku, name in lines.values_list("sku", "name"):
        seen.setdefault(sku, name)
    return list(seen.items())


def make_move(
    order: Order,
    name: str,
    *,
    reason: str = "",
    reason_code: str = "",
    unavailable_items: Sequence[str] = (),
    prep_minutes: int | None = None,
) -> StatusChange:
    """Make the move called ``name``; ``MoveRefused`` (nothing written) when it may not be made now."""
    move = next((move for move in moves_for(order) if move.name == name), None)
    if move is None:
        raise MoveRefused(_("%(move)r is not a move for this %(noun)s") % {
            "move": name, "noun": flow_for(order.service_type).noun})
    decision = decide(order.service_type, order.status, move.status)
    if not decision.applied:
        raise MoveRefused(_("%(move)s refused: %(reason)s") % {"move": move.label, "reason": decision.reason})
    items = _checked_reason(order, move, reason_code, unavailable_items)
    if reason_code and not reason.strip():  # the channel's customer still reads words, not a code
        reason = str(RefusalReason(reason_code).label)
    if move.needs_reason and not reason.strip():
        raise MoveRefused(_("%(move)s needs a reason: the channel tells the customer why") % {"move": move.label})
    try:
        change = change_order_status(
            order,
            move.status,
            reason=reason.strip(),
            reason_code=reason_code or None,
            unavailable_items=items,
            prep_minutes=prep_minutes if move.asks_prep_minutes else None,
            source=StatusSource.STAFF,
        )
    except ValueError as exc:  # the channel needs something the move lacks
        raise MoveRefused(_("%(move)s refused: %(reason)s") % {"move": move.label, "reason": exc}) from None
    if not change.applied:  # another change won the race since the page was drawn
        raise MoveRefused(_("%(move)s refused: %(reason)s") % {"move": move.label, "reason": change.reason})
    return change


def _checked_reason(order: Order, move: TicketMove, reason_code: str, unavailable_items: Sequence[str]) -> list[str]:
    """The out-of-stock SKUs to send, once the code and the SKUs are known to fit the move and the order."""
    items = [sku for sku in dict.fromkeys(sku.strip() for sku in unavailable_items) if sku]
    if not reason_code:
        if items:
            raise MoveRefused(_("out-of-stock items need the reason “%(label)s”") % {
                "label": RefusalReason.ITEMS_UNAVAILABLE.label})
        return []
    if not move.takes_reason_code:
        raise MoveRefused(_("%(move)s takes no reason code") % {"move": move.label})
    if reason_code not in RefusalReason.values:
        raise MoveRefused(_("%(code)r is not a reason code") % {"code": reason_code})
    if items and reason_code != RefusalReason.ITEMS_UNAVAILABLE:
        raise MoveRefused(_("out-of-stock items need the reason “%(label)s”") % {
            "label": RefusalReason.ITEMS_UNAVAILABLE.label})
    unknown = sorted(set(items) - {sku for sku, _name in order_skus(order)})
    if unknown:
        raise MoveRefused(_("not on this order: %(skus)s") % {"skus": ", ".join(unknown)})
    return items
