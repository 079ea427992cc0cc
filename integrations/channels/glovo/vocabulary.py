"""Glovo's words and ours: the statuses a partner may post, payment methods."""

from canonical import OrderStatus, PaymentMethod, ServiceType
from integrations.channels.statuses import StatusMap

ORDER_STATUSES = StatusMap(
    inbound={
        "ACCEPTED": OrderStatus.ACCEPTED,
        "READY_FOR_PICKUP": OrderStatus.READY,
        "OUT_FOR_DELIVERY": OrderStatus.PICKED_UP,
        "PICKED_UP_BY_CUSTOMER": OrderStatus.PICKED_UP,
        "CANCELLED": OrderStatus.CANCELLED,  # the cancellation notification
    },
    outbound={
        OrderStatus.ACCEPTED: "ACCEPTED",
        OrderStatus.READY: "READY_FOR_PICKUP",
        OrderStatus.PICKED_UP: "OUT_FOR_DELIVERY",  # own-courier delivery leaves the store
    },
    outbound_by_service={ServiceType.COLLECTION: {OrderStatus.PICKED_UP: "PICKED_UP_BY_CUSTOMER"}},
)

PAYMENT_METHODS: dict[str, tuple[PaymentMethod, bool]] = {
    "CASH": (PaymentMethod.CASH, False),
    "DELAYED": (PaymentMethod.ONLINE, True),  # paid in the app, settled later by Glovo
}
