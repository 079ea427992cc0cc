"""Auto-accept: a connection may accept every new order at once (so a demo runs end to end).

Reservations are left alone: confirming a table is a promise about the room
that a kitchen's default prep time says nothing about, so staff decide.
"""

from __future__ import annotations

from integrations.validation.space import validation_running
from orders.channel_door import can_be_accepted
from orders.models import Order, OrderStatus, StatusChange, StatusSource


def auto_accept_if_enabled(order: Order) -> StatusChange | None:
    """Called explicitly by inbound intake after a new order is created (not a signal).

    Accepts a just-received order of a connection with ``auto_accept`` on,
    with the connection's default prep time, and queues the accept for the
    channel like any other status change. Returns the status change, or None
    when nothing was done.
    """
    from .services import change_order_status

    connection = order.connection
    if connection is None or not connection.auto_accept or not connection.enabled:
        return None
    if order.is_test or validation_running(connection.pk):
        # A validation run's test order is not the kitchen's; while a run goes, an order may be one before the
        # run knows it, and an accept would race the run's own status changes: the run accepts real ones at its end.
        return None
    if not can_be_accepted(order):  # past received, or a reservation: the orders' rule, not ours
        return None
    return change_order_status(
        order,
        OrderStatus.ACCEPTED,
        prep_minutes=connection.auto_accept_prep_minutes,
        source=StatusSource.SYSTEM,
        correlation_id=order.correlation_id or None,
    )
