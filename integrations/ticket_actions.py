"""What staff may do to an order from its ticket in admin, and the one way each move is made.

A move is a status the order's flow allows now (``canonical.state_machine.decide``), made through
``change_order_status`` as the POS API makes it: the order moves, the history says "staff", and
the channel hears of it through the outbox. A refused move changes nothing and says why, in words
staff can act on. Resending the last status and fetching the order again are their own services
(``outbound.resend``, ``inbound.fetch_again``); the admin only calls these.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from canonical import OrderStatus, ServiceType
from canonical.state_machine import decide, flow_for
from orders.models import Order, StatusChange, StatusSource

from .outbound.services import change_order_status


class MoveRefused(Exception):
    """The move was not made; the message says why (nothing was written)."""


@dataclass(frozen=True)
class TicketMove:
    """A button on the ticket: the status it moves to, for which orders, and whether it asks for a reason."""

    name: str
    label: str
    status: str
    reservations: bool
    needs_reason: bool = False
    asks_prep_minutes: bool = False


MOVES: tuple[TicketMove, ...] = (
    TicketMove("accept", _("Accept"), OrderStatus.ACCEPTED, reservations=False, asks_prep_minutes=True),
    TicketMove("reject", _("Reject"), OrderStatus.REJECTED, reservations=False, needs_reason=True),
    TicketMove("preparing", _("Preparing"), OrderStatus.PREPARING, reservations=False),
    TicketMove("ready", _("Ready"), OrderStatus.READY, reservations=False),
    TicketMove("picked_up", _("Picked up"), OrderStatus.PICKED_UP, reservations=False),
    TicketMove("confirm", _("Confirm the table"), OrderStatus.CONFIRMED, reservations=True),
    TicketMove("refuse", _("Refuse the table"), OrderStatus.REJECTED, reservations=True, needs_reason=True),
    TicketMove("seat", _("Seat the guests"), OrderStatus.SEATED, reservations=True),
)
_BY_NAME = {move.name: move for move in MOVES}


def moves_for(order: Order) -> list[TicketMove]:
    """The moves of the order's kind (order or reservation) whose status belongs to its flow."""
    statuses = flow_for(order.service_type).statuses
    reservation = order.service_type == ServiceType.RESERVATION
    return [move for move in MOVES if move.reservations == reservation and move.status in statuses]


def allowed_moves(order: Order) -> list[TicketMove]:
    """The moves the state machine allows from where the order is now: the ticket's buttons."""
    return [move for move in moves_for(order) if decide(order.service_type, order.status, move.status).applied]


def make_move(order: Order, name: str, *, reason: str = "", prep_minutes: int | None = None) -> StatusChange:
    """Make the move called ``name``; ``MoveRefused`` (nothing written) when it may not be made now."""
    move = _BY_NAME.get(name)
    if move is None or move not in moves_for(order):
        raise MoveRefused(_("%(move)r is not a move for this %(noun)s") % {
            "move": name, "noun": flow_for(order.service_type).noun})
    decision = decide(order.service_type, order.status, move.status)
    if not decision.applied:
        raise MoveRefused(_("%(move)s refused: %(reason)s") % {"move": move.label, "reason": decision.reason})
    if move.needs_reason and not reason.strip():
        raise MoveRefused(_("%(move)s needs a reason: the channel tells the customer why") % {"move": move.label})
    try:
        change = change_order_status(
            order,
            move.status,
            reason=reason.strip(),
            prep_minutes=prep_minutes if move.asks_prep_minutes else None,
            source=StatusSource.STAFF,
        )
    except ValueError as exc:  # the channel needs something the move lacks
        raise MoveRefused(_("%(move)s refused: %(reason)s") % {"move": move.label, "reason": exc}) from None
    if not change.applied:  # another change won the race since the page was drawn
        raise MoveRefused(_("%(move)s refused: %(reason)s") % {"move": move.label, "reason": change.reason})
    return change
