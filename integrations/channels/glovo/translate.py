"""Glovo order notifications as canonical orders.

Prices are integer cents (products and their attributes, per unit). Times
are the store's local wall-clock time (``"YYYY-MM-DD HH:MM:SS"``) plus
``utc_offset_minutes``; we turn them into aware UTC instants.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from canonical import (
    Address,
    CanonicalOrder,
    Customer,
    DeliveryInfo,
    Money,
    OrderAmounts,
    OrderLine,
    OrderStatus,
    Payment,
    ServiceType,
)

from .vocabulary import PAYMENT_METHODS

SCHEDULED_AFTER = timedelta(minutes=60)
"""A pickup this long after the order time is a scheduled order (the payload has no explicit flag)."""


def local_time(value: str | None, offset_minutes: int) -> datetime | None:
    if not value:
        return None
    naive = datetime.fromisoformat(value.replace(" ", "T"))
    if naive.tzinfo is not None:  # already carries its offset
        return naive.astimezone(UTC)
    return naive.replace(tzinfo=timezone(timedelta(minutes=offset_minutes))).astimezone(UTC)


def _cents(value: Any, currency: str) -> Money:
    return Money.from_cents(value if value is not None else 0, currency)


def _line(product: dict[str, Any], currency: str) -> OrderLine:
    return OrderLine(
        sku=str(product.get("id") or ""),
        name=product["name"],
        quantity=int(product["quantity"]),
        unit_price=_cents(product["price"], currency),
        options=tuple(
            OrderLine(sku=str(a.get("id") or ""), name=a["name"], quantity=int(a.get("quantity") or 1),
                      unit_price=_cents(a.get("price"), currency))
            for a in product.get("attributes") or ()
        ),
    )


def order_to_canonical(data: dict[str, Any]) -> CanonicalOrder:
    currency = data.get("currency") or "EUR"
    offset = int(data["utc_offset_minutes"])
    placed_at = local_time(data["order_time"], offset)
    pickup_at = local_time(data.get("estimated_pickup_time"), offset)
    by_customer = bool(data.get("is_picked_up_by_customer"))
    address = data.get("delivery_address")
    courier = data.get("courier") or {}
    goods = _cents(data.get("estimated_total_price"), currency)
    discount = _cents(data.get("partner_discounts_products"), currency)
    fee = _cents(data.get("delivery_fee"), currency)
    total = goods - discount + fee
    method, prepaid = PAYMENT_METHODS.get(data.get("payment_method") or "", PAYMENT_METHODS["DELAYED"])
    customer = data.get("customer") or {}
    notes = " / ".join(p for p in (data.get("special_requirements"), data.get("allergy_info")) if p)
    return CanonicalOrder(
        channel_order_id=str(data["order_id"]),
        display_code=data.get("order_code") or "",
        service_type=ServiceType.COLLECTION if by_customer else ServiceType.DELIVERY,
        status=OrderStatus.RECEIVED,
        placed_at=placed_at,
        scheduled_for=pickup_at if pickup_at and placed_at and pickup_at - placed_at > SCHEDULED_AFTER else None,
        currency=currency,
        customer=Customer(name=customer.get("name") or "", phone=customer.get("phone_number") or ""),
        delivery_address=(
            Address(street=address.get("label") or "", lat=address.get("latitude"), lng=address.get("longitude"))
            if address else None
        ),
        notes=notes,
        lines=tuple(_line(product, currency) for product in data.get("products") or ()),
        amounts=OrderAmounts(subtotal=goods, vat=Money(amount=Decimal("0.00"), currency=currency), total=total,
                             delivery_fee=fee, tip=Money.zero(currency), discount=discount),
        payments=(Payment(method=method, amount=total, prepaid=prepaid),),
        delivery=(
            None if by_customer else DeliveryInfo(
                by_restaurant=address is not None,  # a delivery address is sent only when the store delivers
                driver_name=courier.get("name") or "",
                driver_phone=courier.get("phone_number") or "",
                pickup_eta=pickup_at,
            )
        ),
    )
