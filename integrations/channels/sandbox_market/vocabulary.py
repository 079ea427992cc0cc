"""The Sandbox Market's words and ours, side by side."""

from canonical import OrderStatus, PaymentMethod, ServiceType
from integrations.channels.statuses import StatusMap

KIND_TO_SERVICE: dict[str, ServiceType] = {
    "HOME_DELIVERY": ServiceType.DELIVERY,
    "TAKEAWAY": ServiceType.COLLECTION,
    "EAT_IN": ServiceType.IN_SITU,
    "TABLE_BOOKING": ServiceType.RESERVATION,
}
SERVICE_TO_KIND: dict[ServiceType, str] = {service: kind for kind, service in KIND_TO_SERVICE.items()}

PAYMENT_METHODS: dict[str, PaymentMethod] = {
    "CARD": PaymentMethod.CARD,
    "CASH": PaymentMethod.CASH,
    "ONLINE": PaymentMethod.ONLINE,
}

ORDER_STATUSES = StatusMap(
    inbound={
        "NEW": OrderStatus.RECEIVED,
        "CONFIRMED": OrderStatus.ACCEPTED,
        "DECLINED": OrderStatus.REJECTED,
        "IN_KITCHEN": OrderStatus.PREPARING,
        "READY": OrderStatus.READY,
        "ON_THE_WAY": OrderStatus.PICKED_UP,
        "HANDED_OVER": OrderStatus.DELIVERED,
        "VOIDED": OrderStatus.CANCELLED,
    },
    outbound={
        OrderStatus.ACCEPTED: "CONFIRMED",
        OrderStatus.REJECTED: "DECLINED",
        OrderStatus.PREPARING: "IN_KITCHEN",
        OrderStatus.READY: "READY",
        OrderStatus.PICKED_UP: "ON_THE_WAY",
        OrderStatus.DELIVERED: "HANDED_OVER",
        OrderStatus.CANCELLED: "VOIDED",
    },
    # A takeaway handed over is collected (our picked_up, final for collection);
    # a dine-in order handed over is served (our delivered).
    inbound_by_service={ServiceType.COLLECTION: {"HANDED_OVER": OrderStatus.PICKED_UP}},
    outbound_by_service={ServiceType.COLLECTION: {OrderStatus.PICKED_UP: "HANDED_OVER"}},
)

RESERVATION_STATUSES = StatusMap(
    inbound={
        "PENDING": OrderStatus.REQUESTED,
        "BOOKED": OrderStatus.CONFIRMED,
        "REFUSED": OrderStatus.REJECTED,
        "ARRIVED": OrderStatus.SEATED,
        "FINISHED": OrderStatus.COMPLETED,
        "VOIDED": OrderStatus.CANCELLED,
        "NO_SHOW": OrderStatus.NO_SHOW,
    },
    outbound={
        OrderStatus.CONFIRMED: "BOOKED",
        OrderStatus.REJECTED: "REFUSED",
        OrderStatus.SEATED: "ARRIVED",
        OrderStatus.COMPLETED: "FINISHED",
        OrderStatus.CANCELLED: "VOIDED",
        OrderStatus.NO_SHOW: "NO_SHOW",
    },
)

BOOKING_ONLY_STATES = frozenset(RESERVATION_STATUSES.inbound) - frozenset(ORDER_STATUSES.inbound)

WEEKDAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
