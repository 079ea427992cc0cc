"""Intake: a canonical order from a channel becomes (or updates) an ``Order`` row with its lines.

Keyed by (connection, channel order id), which the database holds unique: two
workers racing on the same new order create it once. The loser's insert fails
(PostgreSQL makes it wait for the winner's commit first), and it carries on
with the winner's row, locked.

An order that already exists only takes news: a status further along its
flow. Its lines, amounts and customer are what the channel sent first; a
snapshot never moves a status backwards (that is what a late, thin fetch of
an old order would otherwise do).

Quantities: a canonical option's quantity is per unit of its parent line (2
pizzas with 1 extra cheese each), while an ``OrderLine`` option's quantity is
its total in the order (2 extra cheeses), so every line's money stands alone.
``_write_lines`` multiplies down the tree.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from canonical import CanonicalOrder
from canonical import OrderLine as CanonicalLine
from canonical.state_machine import decide, initial_status
from integrations.models import Connection

from .models import Delivery, Order, OrderLine, Payment, StatusChange, StatusSource
from .status import apply_status

COORDINATE = Decimal("0.000001")


def upsert_order(
    connection: Connection,
    canonical: CanonicalOrder,
    *,
    correlation_id: str = "",
    occurred_at: datetime | None = None,
) -> tuple[Order, bool]:
    """The order for ``canonical`` on ``connection``, created with everything it carries if new.

    Returns ``(order, created)``. Must run inside a transaction of the
    caller's when the caller needs the order and its own bookkeeping to commit
    together; it opens one (or a savepoint) itself either way.
    """
    occurred_at = occurred_at or timezone.now()
    with transaction.atomic():
        existing = _locked(connection, canonical.channel_order_id)
        if existing is not None:
            return _take_news(existing, canonical, correlation_id, occurred_at), False
        try:
            with transaction.atomic():  # a savepoint: losing the race must not break the caller's transaction
                order = _new_order(connection, canonical, correlation_id, occurred_at)
        except IntegrityError:
            existing = _locked(connection, canonical.channel_order_id)
            if existing is None:
                raise
            return _take_news(existing, canonical, correlation_id, occurred_at), False
        _write_lines(order, canonical.lines)
        _write_payments_and_delivery(order, canonical)
        _record_arrival(order, canonical, correlation_id, occurred_at)
        return order, True


def _locked(connection: Connection, channel_order_id: str) -> Order | None:
    return Order.objects.select_for_update().filter(connection=connection, channel_order_id=channel_order_id).first()


def _take_news(order: Order, canonical: CanonicalOrder, correlation_id: str, occurred_at: datetime) -> Order:
    """A snapshot of an order we have: apply its status only if it moves the order forward."""
    target = canonical.status
    if target and decide(order.service_type, order.status, target).applied:
        apply_status(
            order,
            target,
            source=StatusSource.CHANNEL,
            channel_status=canonical.channel_status,
            channel_status_name=canonical.channel_status_name,
            occurred_at=occurred_at,
            correlation_id=correlation_id,
        )
    return order


def _fit(model: type[models.Model], field_name: str, value: str) -> str:
    """Channel text cut to the column's length: a long name must not lose the whole order."""
    max_length = model._meta.get_field(field_name).max_length
    return value[:max_length] if max_length else value


def _coordinate(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(COORDINATE)


def _new_order(connection: Connection, canonical: CanonicalOrder, correlation_id: str, occurred_at: datetime) -> Order:
    amounts = canonical.amounts
    address = canonical.delivery_address
    customer = canonical.customer
    return Order.objects.create(
        restaurant_id=connection.restaurant_id,
        connection=connection,
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
        vat_amount=amounts.vat.amount,
        total_amount=amounts.total.amount,
        delivery_fee=amounts.delivery_fee.amount,
        tip_amount=amounts.tip.amount,
        discount_amount=amounts.discount.amount,
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
            vat_rate=line.vat_rate,
            notes=line.notes,
            position=position[0],
        )
        position[0] += 1
        _write_lines(order, line.options, row, quantity, position)


def _write_payments_and_delivery(order: Order, canonical: CanonicalOrder) -> None:
    Payment.objects.bulk_create(
        Payment(order=order, method=payment.method, amount=payment.amount.amount, prepaid=payment.prepaid)
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
