"""Uber Eats' words and ours: order states, fulfilment types, deny and cancel reason codes."""

from canonical import OrderStatus, ServiceType
from integrations.channels.statuses import StatusMap

ORDER_TYPES: dict[str, ServiceType] = {
    "DELIVERY_BY_UBER": ServiceType.DELIVERY,
    "DELIVERY_BY_RESTAURANT": ServiceType.DELIVERY,
    "PICK_UP": ServiceType.COLLECTION,
    "DINE_IN": ServiceType.IN_SITU,
}

COURIER_STATES = frozenset({"SCHEDULED", "EN_ROUTE_TO_PICKUP", "ARRIVED_AT_PICKUP", "EN_ROUTE_TO_DROPOFF",
                            "ARRIVED_AT_DROPOFF", "COMPLETED", "RELEASED"})
"""Courier sub-states (``deliveries[].current_state``, ``orders.release``): recorded, never applied."""

ORDER_STATUSES = StatusMap(
    # ``current_state`` of GET /v2/eats/order/{id}.
    inbound={
        "CREATED": OrderStatus.RECEIVED,
        "ACCEPTED": OrderStatus.ACCEPTED,
        "DENIED": OrderStatus.REJECTED,
        "FINISHED": OrderStatus.DELIVERED,
        "CANCELED": OrderStatus.CANCELLED,
    },
    # What each call means: accept_pos_order, deny_pos_order, cancel. Nothing else can be posted.
    outbound={
        OrderStatus.ACCEPTED: "ACCEPTED",
        OrderStatus.REJECTED: "DENIED",
        OrderStatus.CANCELLED: "CANCELED",
    },
    informational=COURIER_STATES,
    inbound_by_service={ServiceType.COLLECTION: {"FINISHED": OrderStatus.PICKED_UP}},
)

DENY_REASONS = ("STORE_CLOSED", "POS_NOT_READY", "POS_OFFLINE", "ITEM_AVAILABILITY", "MISSING_ITEM", "MISSING_INFO",
                "PRICING", "CAPACITY", "ADDRESS", "SPECIAL_INSTRUCTIONS", "OTHER")
CANCEL_REASONS = ("OUT_OF_ITEMS", "KITCHEN_CLOSED", "CUSTOMER_CALLED_TO_CANCEL", "RESTAURANT_TOO_BUSY",
                  "CANNOT_COMPLETE_CUSTOMER_NOTE", "OTHER")

EVENT_NEW = frozenset({"orders.notification", "orders.scheduled.notification"})
EVENT_STATUS = {"orders.cancel": "CANCELED", "orders.failure": "CANCELED", "orders.release": "RELEASED"}

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
