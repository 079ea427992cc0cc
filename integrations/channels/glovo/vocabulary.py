"""Glovo's words and ours: the statuses a partner may post, payment methods, cancellation reasons.

Meanings are quoted from Glovo's OpenAPI spec as copied by a generated client (3P: albert-nipo/glovo-python-client,
``docs/Order.md``, ``docs/OrderCancelled.md``, ``docs/OrderStatus.md``); docs/channels/glovo.md has the table.
"""

from __future__ import annotations

from canonical import Cancellation, CancelledBy, Money, OrderStatus, Payment, PaymentMethod, ServiceType
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
        OrderStatus.ACCEPTED: "ACCEPTED",  # optional: "we will still move forward" without it
        OrderStatus.READY: "READY_FOR_PICKUP",  # "Only available for orders delivered by Glovo couriers"
        OrderStatus.PICKED_UP: "OUT_FOR_DELIVERY",  # "Only available for Marketplace orders" (own rider leaves)
    },
    outbound_by_service={ServiceType.COLLECTION: {OrderStatus.PICKED_UP: "PICKED_UP_BY_CUSTOMER"}},
)

NOT_FOR_GLOVO_COURIERS = frozenset({"OUT_FOR_DELIVERY"})
"""Codes Glovo takes only for marketplace orders (the store's own rider): never for a Glovo courier's order."""
NOT_FOR_OWN_DELIVERY = frozenset({"READY_FOR_PICKUP"})
"""Codes Glovo takes only for orders its couriers deliver: never for a marketplace order."""

NOT_SENT_PHONE = "N/A"
"""``customer.phone_number``: "Relevant to marketplace orders only. For Glovo orders this will be set to 'N/A'"."""

PAYMENT_METHODS: dict[str, str] = {
    "CASH": "the courier will pay for the order with cash",
    "DELAYED": "Glovo will pay for the order by an invoice sent to the partner",
}
"""``payment_method``: how the *store* is paid for the order (not how the customer paid Glovo)."""


def payment_of(channel_method: str, total: Money, *, own_delivery: bool, tendered: Money | None) -> Payment:
    """The order's payment as Glovo words it.

    ``DELAYED``: Glovo invoices, so nothing is collected at the counter (prepaid). ``CASH``: the Glovo courier
    pays the store in cash at pickup; how much is not stated, so no amount to collect is invented. On an
    own-delivery (marketplace) order the store's rider collects from the customer: ``total_customer_to_pay``,
    with ``customer_cash_payment_amount`` kept apart as the cash the customer pays with. An unknown word is kept
    with "not said" (method unknown, prepaid None).
    """
    if channel_method == "DELAYED":
        return Payment(method=PaymentMethod.ONLINE, amount=total, prepaid=True, channel_method=channel_method)
    if channel_method == "CASH":
        return Payment(method=PaymentMethod.CASH, amount=total, prepaid=False, channel_method=channel_method,
                       cash_to_collect=total if own_delivery else None, cash_tendered=tendered)
    return Payment(method=PaymentMethod.UNKNOWN, amount=total, prepaid=None, channel_method=channel_method,
                   cash_tendered=tendered)


CANCEL_REASONS: dict[str, tuple[str, CancelledBy]] = {
    "PRODUCTS_NOT_AVAILABLE": ("Products are not available in store", CancelledBy.UNKNOWN),
    "STORE_CAN_NOT_DELIVER": ("The order could not be delivered by the partner", CancelledBy.UNKNOWN),
    "PARTNER_PRINTER_ISSUE": ("Issues with the partner's device", CancelledBy.UNKNOWN),
    "USER_ERROR": ("The customer has cancelled the order", CancelledBy.CUSTOMER),
    "ORDER_NOT_FEASIBLE": ("The order is impossible to fulfil", CancelledBy.UNKNOWN),
    "OTHER": ("Other reason", CancelledBy.UNKNOWN),
}
"""``cancel_reason``: its documented meaning, and who cancelled where the reason names them (only USER_ERROR)."""

PAYMENT_STRATEGIES: dict[str, tuple[str, bool]] = {
    "PAY_NOTHING": ("Glovo will not pay the partner for the order products", False),
    "PAY_PRODUCTS": ("Glovo will pay the partner for the order products", True),
}


def cancellation_of(reason_code: str, payment_strategy: str) -> Cancellation:
    """A cancellation notification's reason and payment strategy, raw codes kept; an unknown code stays raw."""
    meaning, by = CANCEL_REASONS.get(reason_code, (reason_code, CancelledBy.UNKNOWN))
    strategy = PAYMENT_STRATEGIES.get(payment_strategy)
    if strategy is not None:
        meaning = f"{meaning}; {strategy[0]}" if meaning else strategy[0]
    return Cancellation(by=by, reason_code=reason_code, reason=meaning, payment_strategy=payment_strategy,
                        products_paid=strategy[1] if strategy else None)
