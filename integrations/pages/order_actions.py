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
    asks_reason: bool = False
    tone: str = ""  # "light" for the secondary buttons


ORDER_ACTIONS = (
    OrderAction("accept", OrderStatus.ACCEPTED, _("Accept")),
    OrderAction("reject", OrderStatus.REJECTED, _("Reject"), asks_reason=True, tone="light"),
    OrderAction("preparing", OrderStatus.PREPARING, _("Preparing")),
    OrderAction("ready", OrderStatus.READY, _("Ready")),
    OrderAction("picked_up", OrderStatus.PICKED_UP, _("Picked up")),
    OrderAction("served", OrderStatus.DELIVERED, _("Served")),
)
RESERVATION_ACTIONS = (
    OrderAction("confirm", OrderStatus.CONFIRMED, _("Confirm")),
    OrderAction("refuse", OrderStatus.REJECTED, _("Refuse"), asks_reason=True, tone="light"),
    OrderAction("seat", OrderStatus.SEATED, _("Seat")),
    OrderAction("no_show", OrderStatus.NO_SHOW, _("No-show"), tone="light"),
)
BY_VERB = {action.verb: action for action in (*ORDER_ACTIONS, *RESERVATION_ACTIONS)}


def actions_for(order: Order) -> list[OrderAction]:
    """The moves open to ``order`` now, in the order a shift makes them."""
    offered = RESERVATION_ACTIONS if order.is_reservation else ORDER_ACTIONS
    return [action for action in offered if _fits(order, action) and decide(order.service_type, order.status,
                                                                            action.status).applied]


def action_for(order: Order, verb: str) -> OrderAction | None:
    """The action ``verb`` if it applies to ``order`` (a reservation is confirmed, an order accepted)."""
    action = BY_VERB.get(verb)
    allowed = RESERVATION_ACTIONS if order.is_reservation else ORDER_ACTIONS
    return action if action in allowed else None


def _fits(order: Order, action: OrderAction) -> bool:
    # A delivery is "picked up" by its courier, an in-situ order "served": one button each, not both.
    if action.verb == "served":
        return order.service_type == ServiceType.IN_SITU
    return True
