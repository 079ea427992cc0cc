"""Uber Eats' words and ours: order states, fulfilment types, webhook event types, deny and cancel reason codes.

Every code is as documented (docs/channels/uber_eats.md): ``current_state`` and ``type`` of
``GET /v2/eats/order/{id}``, ``deliveries[].current_state``, the event types of docs/eats/guides/webhooks.
"""

from canonical import Handover, OrderStatus, RefusalReason, ServiceType
from integrations.channels.statuses import StatusMap

ORDER_TYPES: dict[str, ServiceType] = {
    "DELIVERY_BY_UBER": ServiceType.DELIVERY,  # Uber's courier (also Postmates)
    "DELIVERY_BY_RESTAURANT": ServiceType.DELIVERY,  # the restaurant's own courier
    "PICK_UP": ServiceType.COLLECTION,
    "DINE_IN": ServiceType.IN_SITU,
}

COURIER_STATES = frozenset({"SCHEDULED", "EN_ROUTE_TO_PICKUP", "ARRIVED_AT_PICKUP", "EN_ROUTE_TO_DROPOFF",
                            "COMPLETED", "FAILED"})
"""``deliveries[].current_state`` of an Uber courier: kept on the order's delivery (``courier_status``)."""

EVENT_NEW_ORDER = "orders.notification"
EVENT_SCHEDULED_ORDER = "orders.scheduled.notification"
"""The only documented sign that an order is scheduled: v2 orders carry no scheduled or target time."""
EVENT_RELEASE = "orders.release"
"""Fast order release: "an accepted order should be released to the kitchen" (the courier reached the
geo-fence). A kitchen signal on an accepted order; Uber's order stays ACCEPTED, so ours moves nowhere."""

EVENT_NEW = frozenset({EVENT_NEW_ORDER, EVENT_SCHEDULED_ORDER})
EVENT_CANCELLED = frozenset({"orders.cancel", "orders.failure", "orders.failed"})
"""``orders.cancel`` (stores not on API 1.0.0), ``orders.failure`` (API 1.0.0); an older overview spells it
``orders.failed``. None of them documents who cancelled or why."""

RESTAURANT_DELIVERY_STATUSES: dict[OrderStatus, str] = {
    OrderStatus.PICKED_UP: "started",
    OrderStatus.DELIVERED: "delivered",
}
"""``POST /v1/eats/orders/{id}/restaurantdelivery/status``: merchant-coordinated couriers only."""

ORDER_STATUSES = StatusMap(
    # ``current_state`` of GET /v2/eats/order/{id}.
    inbound={
        "CREATED": OrderStatus.RECEIVED,
        "ACCEPTED": OrderStatus.ACCEPTED,
        "DENIED": OrderStatus.REJECTED,
        "FINISHED": OrderStatus.DELIVERED,
        "CANCELED": OrderStatus.CANCELLED,
    },
    # What each call means: accept_pos_order, deny_pos_order, cancel; restaurantdelivery/status for the
    # restaurant's own courier (``started``, ``delivered``; ``arriving`` has no canonical status).
    outbound={
        OrderStatus.ACCEPTED: "ACCEPTED",
        OrderStatus.REJECTED: "DENIED",
        OrderStatus.CANCELLED: "CANCELED",
    },
    # UNKNOWN: a documented current_state with no meaning of ours; the release event: see EVENT_RELEASE.
    informational=frozenset({"UNKNOWN", EVENT_RELEASE}),
    inbound_by_service={ServiceType.COLLECTION: {"FINISHED": OrderStatus.PICKED_UP}},
    outbound_by_service={ServiceType.DELIVERY: RESTAURANT_DELIVERY_STATUSES},
)


# eater.delivery.type ("the dropoff type"): meet at the door, curbside or leave at the door.
HANDOVERS: dict[str, Handover] = {
    "DELIVER_TO_DOOR": Handover.TO_CUSTOMER,
    "CURBSIDE": Handover.CURBSIDE,
    "LEAVE_AT_DOOR": Handover.LEAVE_AT_DOOR,
}

DENY_REASONS = ("STORE_CLOSED", "POS_NOT_READY", "POS_OFFLINE", "ITEM_AVAILABILITY", "MISSING_ITEM", "MISSING_INFO",
                "PRICING", "CAPACITY", "ADDRESS", "SPECIAL_INSTRUCTIONS", "OTHER")
CANCEL_REASONS = ("OUT_OF_ITEMS", "KITCHEN_CLOSED", "CUSTOMER_CALLED_TO_CANCEL", "RESTAURANT_TOO_BUSY",
                  "CANNOT_COMPLETE_CUSTOMER_NOTE", "OTHER")

# The canonical refusal reasons in Uber's codes ("Allowed Reason Codes" of deny_pos_order; cancel's reason enum).
# A reason with no code of its own goes as OTHER with the text beside it.
DENY_CODES: dict[RefusalReason, str] = {
    RefusalReason.BUSY: "CAPACITY",
    RefusalReason.CLOSED: "STORE_CLOSED",
    RefusalReason.ITEMS_UNAVAILABLE: "ITEM_AVAILABILITY",
    RefusalReason.ADDRESS: "ADDRESS",
    RefusalReason.PRICING: "PRICING",
    RefusalReason.SPECIAL_INSTRUCTIONS: "SPECIAL_INSTRUCTIONS",
    RefusalReason.TILL_PROBLEM: "POS_OFFLINE",
    RefusalReason.OTHER: "OTHER",
}
CANCEL_CODES: dict[RefusalReason, str] = {
    RefusalReason.BUSY: "RESTAURANT_TOO_BUSY",
    RefusalReason.CLOSED: "KITCHEN_CLOSED",
    RefusalReason.ITEMS_UNAVAILABLE: "OUT_OF_ITEMS",
    RefusalReason.SPECIAL_INSTRUCTIONS: "CANNOT_COMPLETE_CUSTOMER_NOTE",
    RefusalReason.CUSTOMER_ASKED: "CUSTOMER_CALLED_TO_CANCEL",
    RefusalReason.OTHER: "OTHER",
}

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
