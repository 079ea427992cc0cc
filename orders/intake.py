"""Intake: a canonical order from a channel becomes a new ``Order`` row with its lines, payments and delivery.

Only the writing: whether the order is new, and what an order we already
have takes from a later snapshot, is ``orders.channel_door.take_order``'s to
decide (it calls ``create_order`` inside its savepoint).

Quantities: a canonical option's quantity is per unit of its parent line (2
pizzas with 1 extra cheese each), while an ``OrderLine`` option's quantity is
its total in the order (2 extra cheeses), so every line's money stands alone.
``_write_lines`` multiplies down the tree.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from django.db import models

from canonical import CanonicalOrder
from canonical import OrderLine as CanonicalLine
from canonical.state_machine import initial_status

from .models import Delivery, Order, OrderLine, Payment, StatusChange, StatusSource
from .status import apply_status

COORDINATE = Decimal("0.000001")
ZERO = Decimal("0.00")


def create_order(
    canonical: CanonicalOrder,
    *,
    connection_id: int,
    restaurant_id: int,
    correlation_id: str,
    occurred_at: datetime,
) -> Order:
    """A new order for ``canonical`` with everything it carries, its arrival the first history row.

    Raises ``IntegrityError`` when the order exists already (the database
    holds (connection, channel order id) unique): the caller decides what then.
    """
    order = _new_order(canonical, connection_id, restaurant_id, correlation_id, occurred_at)
    _write_lines(order, canonical.lines)
    _write_payments_and_delivery(order, canonical)
    _record_arrival(order, canonical, correlation_id, occurred_at)
    return order


def _fit(model: type[models.Model], field_name: str, value: str) -> str:
    """Channel text cut to the column's length: a long name must not lose the whole order."""
    max_length = model._meta.get_field(field_name).max_length
    return value[:max_length] if max_length else value


def _coordinate(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(COORDINATE)


def _new_order(
    canonical: CanonicalOrder, connection_id: int, restaurant_id: int, correlation_id: str, occurred_at: datetime
) -> Order:
    amounts = canonical.amounts
    address = canonical.delivery_address
    customer = canonical.customer
    return Order.objects.create(
        restaurant_id=restaurant_id,
        connection_id=connection_id,
        service_type=canonical.service_type,
        channel_order_id=_fit(Order, "channel_order_id", canonical.channel_order_id),
        display_code=_fit(Order, "display_code", canonical.display_code),
        status=initial_status(canonical.service_type),
        channel_status=_fit(Order, "channel_status", canonical.channel_status),
        channel_status_name=_fit(Order, "channel_status_name", canonical.channel_status_name),
        placed_at=canonical.placed_at,
        scheduled_for=canonical.scheduled_for,
        diners=canonical.diners,
        reservation_at=canonical.reservation_at,
        customer_name=_fit(Order, "customer_name", customer.name),
        customer_phone=_fit(Order, "customer_phone", customer.phone),
        customer_email=_fit(Order, "customer_email", customer.email),
        address_street=_fit(Order, "address_street", address.street) if address else "",
        address_city=_fit(Order, "address_city", address.city) if address else "",
        address_postcode=_fit(Order, "address_postcode", address.postcode) if address else "",
        address_lat=_coordinate(address.lat) if address else None,
        address_lng=_coordinate(address.lng) if address else None,
        address_instructions=address.instructions if address else "",
        notes=canonical.notes,
        currency=canonical.currency,
        # The channel's amounts are what the customer paid: kept as sent, not recomputed.
        subtotal_amount=amounts.subtotal.amount,
        vat_amount=amounts.vat.amount if amounts.vat is not None else ZERO,
        total_amount=amounts.total.amount,
        delivery_fee=amounts.delivery_fee.amount if amounts.delivery_fee is not None else ZERO,
        tip_amount=amounts.tip.amount if amounts.tip is not None else ZERO,
        discount_amount=amounts.discount.amount if amounts.discount is not None else ZERO,
        last_channel_update_at=occurred_at,
        correlation_id=correlation_id[:64],
    )


def _write_lines(
    order: Order,
    lines: Iterable[CanonicalLine],
    parent: OrderLine | None = None,
    parent_quantity: int = 1,
    position: list[int] | None = None,
) -> None:
    position = position if position is not None else [0]
    for line in lines:
        quantity = line.quantity * parent_quantity  # per parent unit → total in the order
        row = OrderLine.objects.create(
            order=order,
            parent=parent,
            sku=_fit(OrderLine, "sku", line.sku),
            name=_fit(OrderLine, "name", line.name),
            quantity=quantity,
            unit_price=line.unit_price.amount,
            vat_rate=line.vat_rate if line.vat_rate is not None else ZERO,
            notes=line.notes,
            position=position[0],
        )
        position[0] += 1
        _write_lines(order, line.options, row, quantity, position)


def _write_payments_and_delivery(order: Order, canonical: CanonicalOrder) -> None:
    Payment.objects.bulk_create(
        Payment(order=order, method=payment.method, amount=payment.amount.amount, prepaid=bool(payment.prepaid))
        for payment in canonical.payments
    )
    delivery = canonical.delivery
    if delivery is not None:
        Delivery.objects.create(
            order=order,
            driver_name=_fit(Delivery, "driver_name", delivery.driver_name),
            driver_phone=_fit(Delivery, "driver_phone", delivery.driver_phone),
            pickup_eta=delivery.pickup_eta,
            dropoff_eta=delivery.dropoff_eta,
            tracking_url=_fit(Delivery, "tracking_url", delivery.tracking_url),
            courier_status=_fit(Delivery, "courier_status", delivery.courier_status),
            by_restaurant=delivery.by_restaurant,
        )


def _record_arrival(order: Order, canonical: CanonicalOrder, correlation_id: str, occurred_at: datetime) -> None:
    """The first history row says where the order came from; a status beyond the first is then applied."""
    start = order.status
    StatusChange.objects.create(
        order=order,
        from_status=start,
        to_status=start,
        channel_status=_fit(StatusChange, "channel_status", canonical.channel_status),
        source=StatusSource.CHANNEL,
        applied=True,
        reason="received from the channel",
        occurred_at=occurred_at,
        correlation_id=correlation_id[:64],
    )
    if canonical.status and canonical.status != start:
        apply_status(
            order,
            canonical.status,
            source=StatusSource.CHANNEL,
            channel_status=canonical.channel_status,
            channel_status_name=canonical.channel_status_name,
            occurred_at=occurred_at,
            correlation_id=correlation_id,
        )
