"""The words of the canonical vocabulary, each stated once.

Channel modules speak these; the Django models build their ``choices`` from them
(``field = CharField(choices=OrderStatus.choices)``), so a word added here exists
in the database, the API and every module at once. Each member has a ``label``
for people (admin, pages, the coverage document).
"""

from __future__ import annotations

from enum import EnumMeta, StrEnum


class _VocabularyType(EnumMeta):
    @property
    def choices(cls) -> list[tuple[str, str]]:
        """(value, label) pairs, the shape Django's and DRF's ``choices`` take."""
        return [(member.value, member.label) for member in cls]  # type: ignore[attr-defined]

    @property
    def values(cls) -> list[str]:
        return [member.value for member in cls]  # type: ignore[attr-defined]


class Vocabulary(StrEnum, metaclass=_VocabularyType):
    """A string enum whose members carry a label: ``READY = "ready", "Ready"``."""

    label: str

    def __new__(cls, value: str, label: str | None = None) -> Vocabulary:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label or value.replace("_", " ").capitalize()
        return member


class ServiceType(Vocabulary):
    """How a customer is served; an order has exactly one."""

    DELIVERY = "delivery", "Delivery"
    COLLECTION = "collection", "Collection"
    IN_SITU = "insitu", "In situ (dine-in)"
    RESERVATION = "reservation", "Reservation"


class OrderStatus(Vocabulary):
    """Every canonical status of an order or reservation (the channel's own code is kept beside it).

    ``rejected`` and ``cancelled`` are shared by orders and reservations. Which
    statuses a service type may use, and in which order, is the state machine's
    business (``canonical.state_machine``).
    """

    # orders (delivery, collection, in situ)
    RECEIVED = "received", "Received"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"
    PREPARING = "preparing", "Preparing"
    READY = "ready", "Ready"
    PICKED_UP = "picked_up", "Picked up"
    DELIVERED = "delivered", "Delivered"
    CANCELLED = "cancelled", "Cancelled"
    # reservations
    REQUESTED = "requested", "Requested"
    CONFIRMED = "confirmed", "Confirmed"
    ARRIVED = "arrived", "Arrived (the guests are at the restaurant, not yet seated)"
    SEATED = "seated", "Seated"
    COMPLETED = "completed", "Completed"
    NO_SHOW = "no_show", "No show"


# Statuses that end every flow they appear in. A collection order also ends at
# ``picked_up`` (the customer took it away), but a delivery order does not, so
# that one depends on the service type: ask ``state_machine.is_final_for``.
FINAL_STATUSES: frozenset[str] = frozenset(
    {OrderStatus.REJECTED, OrderStatus.CANCELLED, OrderStatus.DELIVERED, OrderStatus.COMPLETED, OrderStatus.NO_SHOW}
)


def is_final(status: str) -> bool:
    """True if ``status`` ends an order or reservation whatever its service type."""
    return status in FINAL_STATUSES


class StatusSource(Vocabulary):
    """Who asked for a status move."""

    CHANNEL = "channel", "Channel"
    POS = "pos", "POS"
    STAFF = "staff", "Staff"
    RECONCILIATION = "reconciliation", "Reconciliation"
    SYSTEM = "system", "System"


class PaymentMethod(Vocabulary):
    """How an order is (or will be) paid."""

    CARD = "card", "Card"
    CASH = "cash", "Cash"
    ONLINE = "online", "Online"
    VOUCHER = "voucher", "Voucher"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Unknown (the channel does not say)"


class CourierStage(Vocabulary):
    """Where the courier of an order is, as the channel reports it (its own code is kept beside it)."""

    ASSIGNED = "assigned", "Courier assigned"
    ARRIVING = "arriving", "Courier on the way to the restaurant"
    AT_RESTAURANT = "at_restaurant", "Courier at the restaurant"
    PICKED_UP = "picked_up", "Courier picked the order up"
    ARRIVING_AT_CUSTOMER = "arriving_at_customer", "Courier near the customer"
    DELIVERED = "delivered", "Courier delivered the order"
    UNASSIGNED = "unassigned", "Courier no longer assigned (a new one may follow)"
    UNKNOWN = "unknown", "Unknown stage (see the channel's code)"


class CancelledBy(Vocabulary):
    """Who cancelled an order, when the channel says so."""

    CUSTOMER = "customer", "The customer"
    CHANNEL = "channel", "The channel"
    RESTAURANT = "restaurant", "The restaurant"
    COURIER = "courier", "The courier"
    UNKNOWN = "unknown", "Not said by the channel"


class Handover(Vocabulary):
    """How the customer wants a delivery handed over, when the channel says."""

    TO_CUSTOMER = "to_customer", "Hand it to the customer at the door"
    LEAVE_AT_DOOR = "leave_at_door", "Leave it at the door"
    CURBSIDE = "curbside", "Meet the customer outside (curbside)"


class RefusalReason(Vocabulary):
    """Why the restaurant rejects or cancels an order, in words every channel's codes map onto."""

    BUSY = "busy", "Kitchen too busy"
    CLOSED = "closed", "Closed or closing"
    ITEMS_UNAVAILABLE = "items_unavailable", "Items out of stock"
    ADDRESS = "address", "Cannot serve the address"
    PRICING = "pricing", "Wrong prices on the order"
    SPECIAL_INSTRUCTIONS = "special_instructions", "Cannot follow the customer's instructions"
    TILL_PROBLEM = "till_problem", "Till or POS problem"
    CUSTOMER_ASKED = "customer_asked", "The customer asked to cancel"
    OTHER = "other", "Other"


class MenuKind(Vocabulary):
    """A regular menu, or a fixed-price set menu."""

    REGULAR = "regular", "Regular"
    SET_MENU = "set_menu", "Set menu (fixed price)"
