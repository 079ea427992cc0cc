"""Wolt orders (``GET /v2/orders/{orderId}``, the OrderV2 object) as canonical orders.

Written from docs/api/order (the OrderV2 properties) and docs/api/order-submitter (their meanings); the nested
shapes the stored pages do not show are from third-party code and say so in docs/channels/wolt.md §2:

- Money is ``{amount, currency}``, ``amount`` an integer in the currency's minor units. Instants are ISO-8601
  and kept as the same instant in UTC.
- ``basket_price`` is "ordered items and modifiers only, excluding fees": its ``total`` is after discounts,
  ``price_breakdown.total_before_discounts`` before them, ``total_discounts`` their sum. ``fees.total`` is what
  the fees come to. The customer's total is the basket's total plus the fees' total (OrderV2 states no
  order total of its own).
- An item's ``item_price.unit_price`` is what one unit costs with its options (the basket, items and modifiers,
  adds up to it); a canonical line's own price excludes its options, which are child lines with their own
  ``price`` and ``count`` (per unit of the item). So a line's own price is ``unit_price`` less its options.
- OrderV2 sends no tax: VAT is unknown, and whether prices hold it is not said.
- ``type`` ``preorder`` with ``pre_order.preorder_time`` is a scheduled order; ``instant`` is as soon as possible.
- ``delivery.type``: ``homedelivery`` (Wolt's courier, or the venue's own when ``delivery.self_delivery``),
  ``takeaway``, ``eatin``. Only a delivery has an address (``delivery.location``).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from canonical import (
    Address,
    CanonicalOrder,
    Customer,
    DeliveryInfo,
    Estimates,
    Fee,
    InvoicingDetails,
    Money,
    OrderAmounts,
    OrderLine,
    Payment,
    PaymentMethod,
    ServiceType,
)
from integrations.http import PermanentChannelError

from .vocabulary import DELIVERY_TYPES, ORDER_STATUSES, PREORDER

Json = dict[str, Any]
FEES = "wolt_fees"
"""The name the fees' total is kept under: OrderV2 gives the fees as one total (its parts' shape is not shown)."""


def parse_time(value: str | None) -> datetime | None:
    """An ISO-8601 instant (``Z`` or an offset); None when not sent. Raises ValueError on anything else."""
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def money(value: Json | None, currency: str) -> Money | None:
    """Wolt's ``{amount, currency}``, or None when not sent (not sent is not zero)."""
    if not value or value.get("amount") is None:
        return None
    return Money.from_minor_units(int(value["amount"]), value.get("currency") or currency)


def _amount(value: Money | None) -> Decimal:
    return value.amount if value is not None else Decimal(0)


# --- lines ------------------------------------------------------------------------------------


def _option(option: Json, currency: str) -> OrderLine:
    """An option: ``name`` is the choice it answers ("Cheese"), ``value`` what was chosen ("Cheddar")."""
    return OrderLine(
        sku=option.get("value_pos_id") or "",
        name=option.get("value") or option.get("name") or "?",
        quantity=int(option.get("count") or 1),
        unit_price=money(option.get("price"), currency) or Money.zero(currency),
        group=option.get("name") or "",
        channel_line_id=option.get("id") or "",
    )


def _line(item: Json, currency: str) -> OrderLine:
    options = tuple(_option(option, currency) for option in item.get("options") or ())
    unit = money((item.get("item_price") or {}).get("unit_price"), currency) or Money.zero(currency)
    own = unit.amount - sum((option.unit_price.amount * option.quantity for option in options), Decimal(0))
    return OrderLine(
        sku=item.get("pos_id") or "",  # our own id, echoed from the external_data of the menu we uploaded
        name=item.get("name") or "?",
        quantity=int(item["count"]),
        unit_price=Money(amount=own, currency=unit.currency),
        vat_rate=None,  # OrderV2 sends no tax
        channel_line_id=item.get("id") or "",
        options=options,
    )


# --- who, where, when -------------------------------------------------------------------------


def _customer(order: Json) -> Customer:
    tax_id = order.get("company_tax_id")
    return Customer(name=order.get("consumer_name") or "", phone=order.get("consumer_phone_number") or "",
                    invoicing=InvoicingDetails(tax_id=tax_id) if tax_id else None)


def _address(delivery: Json) -> Address | None:
    location = delivery.get("location")
    if not location:
        return None
    coordinates = location.get("coordinates") or {}
    return Address(street=location.get("street_address") or "", unit=location.get("apartment") or "",
                   city=location.get("city") or "", lat=coordinates.get("lat"), lng=coordinates.get("lon"))


def _schedule(order: Json, placed_at: datetime) -> dict[str, datetime | None]:
    """A pre-order's target time; a pre-order without one is still scheduled (its window opens when placed)."""
    details = order.get("pre_order") or {}  # null on an instant order
    if order.get("type") != PREORDER:
        return {}
    target = parse_time(details.get("preorder_time"))
    return {"scheduled_for": target} if target else {"scheduled_earliest": placed_at}


# --- money ------------------------------------------------------------------------------------


def _amounts(order: Json, currency: str) -> OrderAmounts:
    basket = order.get("basket_price") or {}
    breakdown = basket.get("price_breakdown") or {}
    after = money(basket.get("total"), currency) or Money.zero(currency)
    before = money(breakdown.get("total_before_discounts"), currency)
    discount = money(breakdown.get("total_discounts"), currency)
    if before is None:
        before = Money(amount=after.amount + _amount(discount), currency=after.currency)
    fees = money((order.get("fees") or {}).get("total"), currency)
    total = Money(amount=after.amount + _amount(fees), currency=after.currency)
    return OrderAmounts(
        subtotal=before, vat=None, prices_include_vat=None, total=total,
        extra_fees=(Fee(name=FEES, amount=fees),) if fees is not None and fees.amount else (),
        discount=discount if discount is not None and discount.amount else None,
    )


def _payment(order: Json, total: Money) -> Payment:
    """``cash_payment`` (nullable) is set for an order paid in cash; null: paid on Wolt, nothing to collect is
    not stated, so prepaid stays unknown."""
    cash = order.get("cash_payment")
    if cash:
        return Payment(method=PaymentMethod.CASH, amount=total, prepaid=False, channel_method="cash_payment")
    return Payment(method=PaymentMethod.UNKNOWN, amount=total, prepaid=None)


# --- the order --------------------------------------------------------------------------------


def order_to_canonical(order: Json, default_currency: str = "EUR", *, raw: Json | None = None) -> CanonicalOrder:
    """The canonical order for one ``GET /v2/orders/{orderId}`` response (``raw``: the response as received)."""
    currency = ((order.get("basket_price") or {}).get("total") or {}).get("currency") or default_currency
    delivery = order.get("delivery") or {}
    kind = delivery.get("type")
    if kind not in DELIVERY_TYPES:
        raise PermanentChannelError(f"Wolt answered order {order.get('id')} with an unknown delivery type {kind!r}",
                                    operation="get_order")
    service_type = DELIVERY_TYPES[kind]
    placed_at = parse_time(order.get("created_at"))
    if placed_at is None:
        raise PermanentChannelError(f"Wolt answered order {order.get('id')} without created_at", operation="get_order")
    state = str(order.get("order_status") or "")
    pickup_eta = parse_time(order.get("pickup_eta"))
    delivery_time = parse_time(delivery.get("time"))
    by_restaurant = bool(delivery.get("self_delivery"))
    amounts = _amounts(order, currency)
    return CanonicalOrder(
        channel_order_id=order["id"],
        display_code=order.get("order_number") or "",
        service_type=service_type,
        status=ORDER_STATUSES.to_canonical(state.upper(), service_type) if state else None,
        channel_status=state,
        placed_at=placed_at,
        **_schedule(order, placed_at),
        estimates=Estimates(pickup_at=pickup_eta,
                            dropoff_at=delivery_time if service_type == ServiceType.DELIVERY else None),
        currency=currency,
        customer=_customer(order),
        delivery_address=_address(delivery) if service_type == ServiceType.DELIVERY else None,
        notes=order.get("consumer_comment") or "",
        loyalty_code=order.get("loyalty_card_number") or "",
        lines=tuple(_line(item, currency) for item in order.get("items") or ()),
        amounts=amounts,
        payments=(_payment(order, amounts.total),),
        delivery=DeliveryInfo(by_restaurant=by_restaurant, pickup_eta=None if by_restaurant else pickup_eta,
                              dropoff_eta=delivery_time) if service_type == ServiceType.DELIVERY else None,
        channel_payload=raw,
    )
