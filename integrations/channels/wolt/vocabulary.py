"""Wolt's words and ours: order statuses, delivery types, notification types.

As documented on developer.wolt.com (docs/channels/wolt.md names each page): the notification types and the
"Corresponding Order Status" column of docs/webhook; ``type`` (``instant`` / ``preorder``) and the delivery
types of the order (docs/api/order, docs/api/order-submitter).
"""

from canonical import CourierStage, OrderStatus, ServiceType
from integrations.channels.statuses import StatusMap

DELIVERY_TYPES: dict[str, ServiceType] = {
    "homedelivery": ServiceType.DELIVERY,  # by Wolt's courier, or the venue's own when delivery.self_delivery
    "takeaway": ServiceType.COLLECTION,
    "eatin": ServiceType.IN_SITU,
}

PREORDER = "preorder"
"""``type`` of a scheduled order ("When a consumer schedules an order"); ``instant`` is as soon as possible."""

ORDER_NOTIFICATION = "order.notification"
COURIER_NOTIFICATION = "courier.notification"
"""The courier approaches the venue (docs/orderretailguide: ``courier_details.courier_pickup_eta``)."""
PICKUP_COMPLETED_NOTIFICATION = "pickup_completed.notification"
"""The courier picked the order up (docs/orderretailguide: ``details.is_pickup_completed``)."""

NEW_ORDER_STATUS = "CREATED"
"""``order.status`` of the notification for a new order ("Sent for all new orders")."""

COURIER_STAGES: dict[str, CourierStage] = {
    COURIER_NOTIFICATION: CourierStage.ARRIVING,
    PICKUP_COMPLETED_NOTIFICATION: CourierStage.PICKED_UP,
}

ORDER_STATUSES = StatusMap(
    # order.status of a notification, and order_status of GET /v2/orders/{id} (the "Corresponding Order Status"
    # column of docs/webhook): CREATED and ACKNOWLEDGED come with the CREATED notification; a pre-order the venue
    # confirmed is ACKNOWLEDGED until Wolt moves it to PRODUCTION "when it's time to start the food preparation".
    inbound={
        "CREATED": OrderStatus.RECEIVED,
        "RECEIVED": OrderStatus.RECEIVED,
        "ACKNOWLEDGED": OrderStatus.ACCEPTED,
        "PRODUCTION": OrderStatus.PREPARING,
        "READY": OrderStatus.READY,
        "DELIVERED": OrderStatus.DELIVERED,
        "REJECTED": OrderStatus.REJECTED,
        "CANCELED": OrderStatus.CANCELLED,
    },
    # What each call leads to: accept / self-delivery/accept / confirm-preorder, reject, ready, delivered.
    outbound={
        OrderStatus.ACCEPTED: "ACKNOWLEDGED",
        OrderStatus.REJECTED: "REJECTED",
        OrderStatus.READY: "READY",
        OrderStatus.DELIVERED: "DELIVERED",
    },
    informational=frozenset({"FETCHED", "REFUNDED"}),
    inbound_by_service={ServiceType.COLLECTION: {"DELIVERED": OrderStatus.PICKED_UP}},
    outbound_by_service={ServiceType.COLLECTION: {OrderStatus.PICKED_UP: "DELIVERED"}},
)

WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
"""``opening_day`` / ``closing_day`` of the venue's opening times (docs/venueguide)."""
