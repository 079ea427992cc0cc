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

from canonical import Cancellation, CanonicalOrder, InvoicingDetails, Money
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
    is_test: bool = False,
) -> Order:
    """A new order for ``canonical`` with everything it carries, its arrival the first history row.

    ``is_test``: a validation run's test order (kept out of the restaurant's lists).

    Raises ``IntegrityError`` when the order exists already (the database
    holds (connection, channel order id) unique): the caller decides what then.
    """
    order = _new_order(canonical, connection_id, restaurant_id, correlation_id, occurred_at, is_test)
    _write_lines(order, canonical.lines)
    _write_payments_and_delivery(order, canonical)
    _record_arrival(order, canonical, correlation_id, occurred_at)
    return order


def fit(model: type[models.Model], field_name: str, value: str) -> str:
    """Channel text cut to the column's length: a long name must not lose the whole order."""
    max_length = model._meta.get_field(field_name).max_length
    return value[:max_length] if max_length else value



def _coordinate(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(COORDINATE)


def _new_order(
    canonical: CanonicalOrder,
    connection_id: int,
    restaurant_id: int,
    correlation_id: str,
    occurred_at: datetime,
    is_test: bool = False,
) -> Order:
    address = canonical.delivery_address
    customer = canonical.customer
    return Order.objects.create(
        restaurant_id=restaurant_id,
        connection_id=connection_id,
        service_type=canonical.service_type,
        channel_order_id=fit(Order, "channel_order_id", canonical.channel_order_id),
        display_code=fit(Order, "display_code", canonical.display_code),
        ordered_via=fit(Order, "ordered_via", canonical.ordered_via),
        table=fit(Order, "table", canonical.table),
        status=initial_status(canonical.service_type),
        channel_status=fit(Order, "channel_status", canonical.channel_status),
        channel_status_name=fit(Order, "channel_status_name", canonical.channel_status_name),
        placed_at=canonical.placed_at,
        scheduled_for=canonical.scheduled_for,
        scheduled_earliest=canonical.scheduled_earliest,
        scheduled_latest=canonical.scheduled_latest,
        confirm_by=canonical.confirm_by,
        diners=canonical.diners,
        reservation_at=canonical.reservation_at,
        customer_name=fit(Order, "customer_name", customer.name),
        customer_phone=fit(Order, "customer_phone", customer.phone),
        customer_phone_code=fit(Order, "customer_phone_code", customer.phone_code),
        customer_email=fit(Order, "customer_email", customer.email),
        customer_channel_id=fit(Order, "customer_channel_id", customer.channel_customer_id),
        **invoicing_of(customer.invoicing),
        address_street=fit(Order, "address_street", address.street) if address else "",
        address_unit=fit(Order, "address_unit", address.unit) if address else "",
        address_city=fit(Order, "address_city", address.city) if address else "",
        address_postcode=fit(Order, "address_postcode", address.postcode) if address else "",
        address_lat=_coordinate(address.lat) if address else None,
        address_lng=_coordinate(address.lng) if address else None,
        address_instructions=address.instructions if address else "",
        address_business_name=fit(Order, "address_business_name", address.business_name) if address else "",
        handover=(address.handover or "") if address else "",
        notes=canonical.notes,
        allergy_notes=canonical.allergy_notes,
        cutlery_requested=canonical.cutlery_requested,
        disposables_requested=canonical.disposables_requested,
        loyalty_code=fit(Order, "loyalty_code", canonical.loyalty_code),
        bundled_with=list(canonical.bundled_with),
        currency=canonical.currency,
        **estimates_of(canonical),
        **codes_of(canonical),
        **amounts_of(canonical),
        **cancellation_of(canonical.cancellation),
        channel_payload=canonical.channel_payload,
        last_channel_update_at=occurred_at,
        correlation_id=correlation_id[:64],
        is_test=is_test,
    )


def invoicing_of(invoicing: InvoicingDetails | None) -> dict[str, str]:
    """The company to invoice; no invoice asked leaves the three empty."""
    if invoicing is None:
        return {"invoice_company_name": "", "invoice_tax_id": "", "invoice_address": ""}
    return {
        "invoice_company_name": fit(Order, "invoice_company_name", invoicing.company_name),
        "invoice_tax_id": fit(Order, "invoice_tax_id", invoicing.tax_id),
        "invoice_address": fit(Order, "invoice_address", invoicing.address),
    }


def estimates_of(canonical: CanonicalOrder) -> dict[str, datetime | None]:
    estimates = canonical.estimates
    return {
        "estimated_ready_at": estimates.ready_at,
        "estimated_pickup_at": estimates.pickup_at,
        "estimated_dropoff_at": estimates.dropoff_at,
    }


def codes_of(canonical: CanonicalOrder) -> dict[str, str]:
    return {
        "pickup_code": fit(Order, "pickup_code", canonical.pickup_code),
        "courier_code": fit(Order, "courier_code", canonical.courier_code),
    }


def amounts_of(canonical: CanonicalOrder) -> dict[str, object]:
    """The channel's amounts are what the customer paid: kept as sent, not recomputed.

    An unknown VAT stays unknown (NULL); a fee the channel did not send is 0.00
    for the three historic columns (money-neutral) and empty for the others.
    """
    amounts = canonical.amounts
    return {
        "subtotal_amount": amounts.subtotal.amount,
        "vat_amount": _amount(amounts.vat),
        "prices_include_vat": amounts.prices_include_vat,
        "total_amount": amounts.total.amount,
        "delivery_fee": _amount(amounts.delivery_fee) or ZERO,
        "service_fee": _amount(amounts.service_fee),
        "bag_fee": _amount(amounts.bag_fee),
        "small_order_surcharge": _amount(amounts.small_order_surcharge),
        "extra_fees": [{"name": fee.name, "amount": str(fee.amount.amount)} for fee in amounts.extra_fees],
        "tip_amount": _amount(amounts.tip) or ZERO,
        "tip_in_total": amounts.tip_in_total,
        "discount_amount": _amount(amounts.discount) or ZERO,
        "outside_total": [{"name": fee.name, "amount": str(fee.amount.amount)} for fee in amounts.outside_total],
    }


def cancellation_of(cancellation: Cancellation | None) -> dict[str, object]:
    """The order's cancellation columns for ``cancellation`` (all empty for None)."""
    if cancellation is None:
        return {}
    return {
        "cancelled_by": cancellation.by,
        "cancel_reason_code": fit(Order, "cancel_reason_code", cancellation.reason_code),
        "cancel_reason": cancellation.reason,
        "cancelled_at": cancellation.cancelled_at,
        "cancel_products_paid": cancellation.products_paid,
        "cancel_payment_strategy": fit(Order, "cancel_payment_strategy", cancellation.payment_strategy),
    }


def _amount(money: Money | None) -> Decimal | None:
    return None if money is None else money.amount


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
            sku=fit(OrderLine, "sku", line.sku),
            name=fit(OrderLine, "name", line.name),
            quantity=quantity,
            unit_price=line.unit_price.amount,
            vat_rate=line.vat_rate,
            notes=line.notes,
            allergy_notes=line.allergy_notes,
            removed=[removed.model_dump(exclude_defaults=True) for removed in line.removed],
            group=fit(OrderLine, "group", line.group),
            channel_line_id=fit(OrderLine, "channel_line_id", line.channel_line_id),
            for_person=fit(OrderLine, "for_person", line.for_person),
            position=position[0],
        )
        position[0] += 1
        _write_lines(order, line.options, row, quantity, position)


def _write_payments_and_delivery(order: Order, canonical: CanonicalOrder) -> None:
    Payment.objects.bulk_create(
        Payment(
            order=order,
            method=payment.method,
            amount=payment.amount.amount,
            prepaid=payment.prepaid,
            channel_method=fit(Payment, "channel_method", payment.channel_method),
            cash_to_collect=_amount(payment.cash_to_collect),
            cash_tendered=_amount(payment.cash_tendered),
        )
        for payment in canonical.payments
    )
    delivery = canonical.delivery
    if delivery is not None:
        Delivery.objects.create(
            order=order,
            driver_name=fit(Delivery, "driver_name", delivery.driver_name),
            driver_phone=fit(Delivery, "driver_phone", delivery.driver_phone),
            phone_code=fit(Delivery, "phone_code", delivery.phone_code),
            pickup_eta=delivery.pickup_eta,
            dropoff_eta=delivery.dropoff_eta,
            tracking_url=fit(Delivery, "tracking_url", delivery.tracking_url),
            courier_status=fit(Delivery, "courier_status", delivery.courier_status),
            vehicle=fit(Delivery, "vehicle", delivery.vehicle),
            picture_url=fit(Delivery, "picture_url", delivery.picture_url),
            by_restaurant=delivery.by_restaurant,
        )


def _record_arrival(order: Order, canonical: CanonicalOrder, correlation_id: str, occurred_at: datetime) -> None:
    """The first history row says where the order came from; a status beyond the first is then applied."""
    start = order.status
    StatusChange.objects.create(
        order=order,
        from_status=start,
        to_status=start,
        channel_status=fit(StatusChange, "channel_status", canonical.channel_status),
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
