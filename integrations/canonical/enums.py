"""Enumerations of the canonical vocabulary (the Django models use the same values)."""

from enum import StrEnum


class ServiceType(StrEnum):
    DELIVERY = "delivery"
    COLLECTION = "collection"
    IN_SITU = "insitu"
    RESERVATION = "reservation"


class OrderStatus(StrEnum):
    """Canonical status of an order or reservation (the channel's own code is kept beside it)."""

    # orders
    RECEIVED = "received"
    ACCEPTED = "accepted"
    PREPARING = "preparing"
    READY = "ready"
    PICKED_UP = "picked_up"
    DELIVERED = "delivered"
    # reservations
    REQUESTED = "requested"
    CONFIRMED = "confirmed"
    SEATED = "seated"
    COMPLETED = "completed"
    NO_SHOW = "no_show"
    # both
    REJECTED = "rejected"
    CANCELLED = "cancelled"


FINAL_STATUSES = frozenset(
    {OrderStatus.REJECTED, OrderStatus.CANCELLED, OrderStatus.DELIVERED, OrderStatus.COMPLETED, OrderStatus.NO_SHOW}
)


def is_final(status: str) -> bool:
    return status in FINAL_STATUSES


class StatusSource(StrEnum):
    CHANNEL = "channel"
    POS = "pos"
    STAFF = "staff"
    RECONCILIATION = "reconciliation"
    SYSTEM = "system"


class MenuKind(StrEnum):
    REGULAR = "regular"
    SET_MENU = "set_menu"
