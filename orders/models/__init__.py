from canonical import OrderStatus

from .deliveries import CourierReport, Delivery, DriverLocation
from .history import StatusChange, StatusSource
from .lines import OrderLine
from .order import Order
from .payments import Payment, PaymentMethod

__all__ = [
    "CourierReport",
    "Delivery",
    "DriverLocation",
    "Order",
    "OrderLine",
    "OrderStatus",
    "Payment",
    "PaymentMethod",
    "StatusChange",
    "StatusSource",
]
