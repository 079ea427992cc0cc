"""The canonical status vocabulary shared by every channel.

Channel modules map their own codes onto these; the order keeps the channel's
raw code next to it (``Order.channel_status``) so nothing is lost in translation.
Which statuses a given service type may use, and in which order, is the state
machine's business (``orders.state_machine``), not this module's.
"""

from __future__ import annotations

from django.db import models


class OrderStatus(models.TextChoices):
    """Every canonical status of an order or a reservation.

    ``rejected`` and ``cancelled`` are shared by orders and reservations.
    """

    # Orders (delivery, collection, in situ)
    RECEIVED = "received", "Received"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"
    PREPARING = "preparing", "Preparing"
    READY = "ready", "Ready"
    PICKED_UP = "picked_up", "Picked up"
    DELIVERED = "delivered", "Delivered"
    CANCELLED = "cancelled", "Cancelled"
    # Reservations
    REQUESTED = "requested", "Requested"
    CONFIRMED = "confirmed", "Confirmed"
    SEATED = "seated", "Seated"
    COMPLETED = "completed", "Completed"
    NO_SHOW = "no_show", "No show"


# Statuses that end every flow they appear in. A collection order also ends at
# ``picked_up`` (the customer took it away), but a delivery order does not, so
# that one depends on the service type: ask ``state_machine.is_final_for``.
FINAL_STATUSES: frozenset[str] = frozenset(
    {
        OrderStatus.REJECTED,
        OrderStatus.DELIVERED,
        OrderStatus.CANCELLED,
        OrderStatus.COMPLETED,
        OrderStatus.NO_SHOW,
    }
)


def is_final(status: str) -> bool:
    """True if ``status`` ends an order or reservation whatever its service type."""
    return status in FINAL_STATUSES
