"""Glovo order notifications as canonical orders, field by field as Glovo's Order model defines them.

Source: Glovo's OpenAPI spec through the client generated from it (3P: albert-nipo/glovo-python-client,
``docs/Order.md``, ``OrderProducts.md``, ``OrderAttributes.md``, ``OrderCustomer.md``, ``OrderCourier.md``,
``OrderDeliveryAddress.md``); the findings are in ``docs/channels/glovo.md``.

* Money is integer cents. A product's ``price`` is its unit price *without* attributes; an attribute's
  ``price`` is its unit price, and its ``quantity`` is read per unit of the product (the only reading under
  which the spec's example adds up: (1000 + 300) × 2 + 480 = 3080).
* Times are the store's local wall-clock time plus ``utc_offset_minutes`` ("time difference in minutes
  between UTC and the local time of the store"): local = UTC + offset, so UTC = local − offset (the spec's
  example pairs "60" with a European store). All three are optional: without an offset the local times are
  read in the restaurant's own time zone; without ``order_time`` the order is placed when we read it.
* Glovo sends no tax at all: VAT is unknown (None), never 0.00. It sends no scheduled signal either, so no
  order is called scheduled; ``estimated_pickup_time`` is kept as the pickup estimate, whoever picks up.
* Who delivers: ``is_picked_up_by_customer`` ⇒ the customer collects; a marketplace field
  (``delivery_address``, ``delivery_fee``, ``total_customer_to_pay``: "relevant to marketplace orders only")
  ⇒ the store's own rider; otherwise a Glovo courier.
* The total is the one Glovo states: ``total_customer_to_pay`` on own-delivery orders ("after discounts,
  promotions, surcharges, fees"); Glovo-delivered orders do not say what the customer paid, so their total is
  ``partner_discounted_products_total`` (the products after partner-funded discounts: what the store sold).
* ``bundled_orders`` become ``bundled_with`` (the same courier takes them), ``customer.hash`` the customer's
  channel id and ``customer.invoicing_details`` the company to invoice.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from canonical import (
    Address,
    CanonicalOrder,
    Customer,
    DeliveryInfo,
    Estimates,
    InvoicingDetails,
    Money,
    OrderAmounts,
    OrderLine,
    OrderStatus,
    ServiceType,
)

from .vocabulary import NOT_SENT_PHONE, payment_of

logger = logging.getLogger(__name__)


def store_zone(offset_minutes: Any, restaurant_timezone: str) -> tzinfo:
    """The zone Glovo's local times are in: the sent offset, else the restaurant's own time zone."""
    if offset_minutes is not None and str(offset_minutes).strip() != "":
        return timezone(timedelta(minutes=int(str(offset_minutes).strip())))
    try:
        return ZoneInfo(restaurant_timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def local_time(value: str | None, zone: tzinfo) -> datetime | None:
    """``"YYYY-MM-DD HH:MM:SS"`` in the store's local time as an aware UTC instant (an offset in it wins)."""
    if not value:
        return None
    naive = datetime.fromisoformat(str(value).replace(" ", "T"))
    if naive.tzinfo is not None:
        return naive.astimezone(UTC)
    return naive.replace(tzinfo=zone).astimezone(UTC)


def cents(value: Any, currency: str) -> Money | None:
    """Glovo's integer cents as money; None stays None (not sent). A fractional number is refused."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"an amount in cents must be an integer, got {value!r}")
    return Money.from_cents(value, currency)


def _required_cents(value: Any, currency: str) -> Money:
    money = cents(value, currency)
    return money if money is not None else Money.zero(currency)


def _line(product: dict[str, Any], currency: str) -> OrderLine:
    return OrderLine(
        sku=str(product.get("id") or ""),
        channel_line_id=str(product.get("purchased_product_id") or ""),
        name=product["name"],
        quantity=int(product["quantity"]),
        unit_price=_required_cents(product["price"], currency),
        options=tuple(
            OrderLine(sku=str(a.get("id") or ""), name=a["name"], quantity=int(a.get("quantity") or 1),
                      unit_price=_required_cents(a.get("price"), currency))
            for a in product.get("attributes") or ()
        ),
    )


def _customer(customer: dict[str, Any]) -> Customer:
    """``OrderCustomer``: ``hash`` is the customer's "unique identifier"; ``invoicing_details`` (company name,
    address, tax id) is there when the customer needs an invoice (OrderCustomerInvoicingDetails.md)."""
    phone = customer.get("phone_number") or ""
    invoicing = customer.get("invoicing_details")
    return Customer(
        name=customer.get("name") or "", phone="" if phone.strip() == NOT_SENT_PHONE else phone,
        channel_customer_id=str(customer.get("hash") or ""),
        invoicing=InvoicingDetails(
            company_name=invoicing.get("company_name") or "", tax_id=invoicing.get("tax_id") or "",
            address=invoicing.get("company_address") or "",
        ) if invoicing else None,
    )


def _bundled(order_ids: Any) -> tuple[str, ...]:
    """``bundled_orders``: orders "to be delivered together by a single courier" (Glovo orders; null for
    marketplace ones)."""
    return tuple(str(order_id) for order_id in order_ids or () if str(order_id).strip())


def order_to_canonical(data: dict[str, Any], restaurant_timezone: str = "UTC") -> CanonicalOrder:
    currency = data["currency"]
    if not isinstance(currency, str) or not currency.strip():
        raise ValueError(f"currency is required, got {currency!r}")
    zone = store_zone(data.get("utc_offset_minutes"), restaurant_timezone)
    placed_at = local_time(data.get("order_time"), zone) or datetime.now(UTC)
    pickup_at = local_time(data.get("estimated_pickup_time"), zone)
    by_customer = bool(data.get("is_picked_up_by_customer"))
    address = data.get("delivery_address")
    delivery_fee = cents(data.get("delivery_fee"), currency)
    customer_total = cents(data.get("total_customer_to_pay"), currency)
    own_delivery = not by_customer and any(v is not None for v in (address, delivery_fee, customer_total))
    lines = tuple(_line(product, currency) for product in data.get("products") or ())
    surcharge = cents(data.get("minimum_basket_surcharge"), currency)
    service_fee = cents(data.get("service_fee"), currency)
    goods = _required_cents(data.get("estimated_total_price"), currency)
    discount = _required_cents(data.get("partner_discounts_products"), currency)
    after_discounts = cents(data.get("partner_discounted_products_total"), currency)
    if customer_total is not None:
        total = customer_total
    else:
        total = after_discounts if after_discounts is not None else goods - discount
        if own_delivery:  # Glovo should have sent total_customer_to_pay: add up only what it did send
            logger.warning("Glovo own-delivery order %s without total_customer_to_pay", data.get("order_id"))
            for fee in (delivery_fee, surcharge, service_fee):
                total = total + fee if fee is not None else total
    _warn_if_it_does_not_add_up(data, lines, goods, discount, after_discounts)
    courier = data.get("courier") or {}
    payment = payment_of(data.get("payment_method") or "", total, own_delivery=own_delivery,
                         tendered=cents(data.get("customer_cash_payment_amount"), currency))
    return CanonicalOrder(
        channel_order_id=str(data["order_id"]),
        display_code=data.get("order_code") or "",
        service_type=ServiceType.COLLECTION if by_customer else ServiceType.DELIVERY,
        status=OrderStatus.RECEIVED,
        placed_at=placed_at,
        estimates=Estimates(pickup_at=pickup_at),
        currency=currency,
        customer=_customer(data.get("customer") or {}),
        delivery_address=(
            Address(street=address.get("label") or "", lat=address.get("latitude"), lng=address.get("longitude"))
            if address else None
        ),
        notes=data.get("special_requirements") or "",
        allergy_notes=data.get("allergy_info") or "",
        pickup_code=data.get("pick_up_code") or "",
        cutlery_requested=data.get("cutlery_requested"),
        loyalty_code=data.get("loyalty_card") or "",
        bundled_with=_bundled(data.get("bundled_orders")),
        lines=lines,
        amounts=OrderAmounts(
            subtotal=goods, vat=None, prices_include_vat=None, total=total, delivery_fee=delivery_fee,
            small_order_surcharge=surcharge, service_fee=service_fee, discount=discount,
        ),
        payments=(payment,),
        delivery=(
            None if by_customer else DeliveryInfo(
                by_restaurant=own_delivery,
                driver_name=courier.get("name") or "",
                driver_phone=courier.get("phone_number") or "",
                pickup_eta=pickup_at,
            )
        ),
    )


def _warn_if_it_does_not_add_up(data: dict[str, Any], lines: tuple[OrderLine, ...], goods: Money, discount: Money,
                                after_discounts: Money | None) -> None:
    """Glovo's own sums, checked against its lines; a difference is logged, never corrected by us."""
    summed = sum((line.gross_total() for line in lines), Decimal(0))
    if summed != goods.amount:
        logger.warning("Glovo order %s: lines add up to %s, estimated_total_price says %s",
                       data.get("order_id"), summed, goods.amount)
    if after_discounts is not None and after_discounts.amount != goods.amount - discount.amount:
        logger.warning("Glovo order %s: partner_discounted_products_total %s is not %s − %s",
                       data.get("order_id"), after_discounts.amount, goods.amount, discount.amount)
