"""The buttons an order or reservation card offers: a verb the manager reads, the status it asks for.

Which buttons show is the state machine's word (``canonical.state_machine.decide``), so the page never
offers a move the service would refuse. The move itself is ``change_order_status``'s.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from canonical import OrderStatus, ServiceType
from canonical.state_machine import decide
from orders.models import Order


@dataclass(frozen=True)
class OrderAction:
    verb: str  # the URL's word
    status: str
    label: object  # a lazy translation
    after: tuple[str, ...]  # the statuses it is offered from: the next steps, not every jump the flow allows
    asks_reason: bool = False
    tone: str = ""  # "light" for the secondary buttons


ORDER_ACTIONS = (
    OrderAction("accept", OrderStatus.ACCEPTED, _("Accept"), (OrderStatus.RECEIVED,)),
    OrderAction("reject", OrderStatus.REJECTED, _("Reject"), (OrderStatus.RECEIVED,), asks_reason=True, tone="light"),
    OrderAction("preparing", OrderStatus.PREPARING, _("Preparing"), (OrderStatus.ACCEPTED,), tone="light"),
    OrderAction("ready", OrderStatus.READY, _("Ready"), (OrderStatus.ACCEPTED, OrderStatus.PREPARING)),
    OrderAction("picked_up", OrderStatus.PICKED_UP, _("Picked up"), (OrderStatus.READY,)),
    OrderAction("served", OrderStatus.DELIVERED, _("Served"), (OrderStatus.READY,)),
)
RESERVATION_ACTIONS = (
    OrderAction("confirm", OrderStatus.CONFIRMED, _("Confirm"), (OrderStatus.REQUESTED,)),
    OrderAction("refuse", OrderStatus.REJECTED, _("Refuse"), (OrderStatus.REQUESTED,), asks_reason=True,
                tone="light"),
    OrderAction("seat", OrderStatus.SEATED, _("Seat"), (OrderStatus.CONFIRMED, OrderStatus.ARRIVED)),
    OrderAction("no_show", OrderStatus.NO_SHOW, _("No-show"), (OrderStatus.CONFIRMED,), tone="light"),
)
BY_VERB = {action.verb: action for action in (*ORDER_ACTIONS, *RESERVATION_ACTIONS)}


def actions_for(order: Order) -> list[OrderAction]:
    """The moves open to ``order`` now, in the order a shift makes them."""
    offered = RESERVATION_ACTIONS if order.is_reservation else ORDER_ACTIONS
    return [
        action for action in offered
        if order.status in action.after and _fits(order, action)
        and decide(order.service_type, order.status, action.status).applied
    ]


def action_for(order: Order, verb: str) -> OrderAction | None:
    """The action ``verb`` if it is one for ``order``'s kind (a reservation is confirmed, an order accepted).

    Not limited to the buttons shown now: the page may be a few seconds old, and the state machine
    (in ``change_order_status``) answers a move that no longer applies."""
    action = BY_VERB.get(verb)
    allowed = RESERVATION_ACTIONS if order.is_reservation else ORDER_ACTIONS
    return action if action in allowed else None


def _fits(order: Order, action: OrderAction) -> bool:
    # A delivery or a collection is "picked up" (courier or customer), an in-situ order "served".
    if action.verb == "served":
        return order.service_type == ServiceType.IN_SITU
    if action.verb == "picked_up":
        return order.service_type != ServiceType.IN_SITU
    return True
