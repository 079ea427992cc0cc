"""Uber Eats orders (GET /v2/eats/order/{id}) as canonical orders.

Money is ``{amount, currency_code, formatted_amount}`` with ``amount`` in
the currency's minor units; instants are ISO-8601 (UTC).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from canonical import (
    Address,
    CanonicalOrder,
    Customer,
    DeliveryInfo,
    Money,
    OrderAmounts,
    OrderLine,
    Payment,
    PaymentMethod,
    ServiceType,
)

from .vocabulary import ORDER_STATUSES, ORDER_TYPES


def parse_time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def money(value: dict[str, Any] | None, currency: str) -> Money:
    if not value:
        return Money.zero(currency)
    return Money.from_cents(value["amount"], value.get("currency_code") or currency)


def _line(item: dict[str, Any], currency: str) -> OrderLine:
    price = item.get("price") or {}
    return OrderLine(
        sku=item.get("external_data") or item.get("id") or "",
        name=item["title"],
        quantity=int(item["quantity"]),
        unit_price=money(price.get("unit_price"), currency),
        notes=item.get("special_instructions") or "",
        options=tuple(
            _line(option, currency)
            for group in item.get("selected_modifier_groups") or ()
            for option in group.get("selected_items") or ()
        ),
    )


def _address(eater: dict[str, Any]) -> Address | None:
    delivery = eater.get("delivery") or {}
    location = delivery.get("location")
    if not location:
        return None
    street = " ".join(part for part in (location.get("address_1"), location.get("address_2")) if part)
    return Address(street=street, city=location.get("city") or "", postcode=location.get("postal_code") or "",
                   lat=location.get("latitude"), lng=location.get("longitude"),
                   instructions=delivery.get("notes") or "")


def _delivery(order: dict[str, Any]) -> DeliveryInfo | None:
    deliveries = order.get("deliveries") or []
    if not deliveries and order.get("type") != "DELIVERY_BY_RESTAURANT":
        return None
    courier = deliveries[0] if deliveries else {}
    return DeliveryInfo(
        by_restaurant=order.get("type") == "DELIVERY_BY_RESTAURANT",
        driver_name=courier.get("first_name") or "",
        courier_status=courier.get("current_state") or "",
        pickup_eta=parse_time(order.get("estimated_ready_for_pickup_at")),
    )


def order_to_canonical(order: dict[str, Any], default_currency: str = "EUR") -> CanonicalOrder:
    charges = (order.get("payment") or {}).get("charges") or {}
    total = charges.get("total") or {}
    currency = total.get("currency_code") or default_currency
    service_type = ORDER_TYPES.get(order.get("type") or "", ServiceType.DELIVERY)
    eater = order.get("eater") or {}
    vat = money(charges.get("tax"), currency)
    state = order["current_state"]
    scheduled = (order.get("scheduled_order_target_delivery_time_range") or {}).get("start_time")
    return CanonicalOrder(
        channel_order_id=order["id"],
        display_code=order.get("display_id") or "",
        service_type=service_type,
        status=ORDER_STATUSES.to_canonical(state, service_type),
        channel_status=state,
        placed_at=parse_time(order["placed_at"]),
        scheduled_for=parse_time(scheduled),
        currency=currency,
        customer=Customer(name=" ".join(p for p in (eater.get("first_name"), eater.get("last_name")) if p),
                          phone=" ".join(p for p in (eater.get("phone"), eater.get("phone_code")) if p)),
        delivery_address=_address(eater),
        notes=(order.get("cart") or {}).get("special_instructions") or "",
        lines=tuple(_line(item, currency) for item in (order.get("cart") or {}).get("items") or ()),
        amounts=OrderAmounts(
            subtotal=money(charges.get("sub_total"), currency) - vat,
            vat=vat,
            total=money(total, currency),
            delivery_fee=money(charges.get("total_fee"), currency),
            tip=money(charges.get("tip"), currency),
            discount=money(charges.get("total_promo_applied"), currency),
        ),
        # Uber collects the money: every Uber Eats order is prepaid online.
        payments=(Payment(method=PaymentMethod.ONLINE, amount=money(total, currency), prepaid=True),),
        delivery=_delivery(order),
    )
