"""Pure translation between Sandbox Market payloads and canonical types."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from canonical import (
    Address,
    Availability,
    CanonicalCatalog,
    CanonicalOrder,
    CatalogOptionCategory,
    CatalogProduct,
    Customer,
    DeliveryInfo,
    ItemUpdate,
    MenuKind,
    Money,
    OrderAmounts,
    OrderLine,
    Payment,
    PaymentMethod,
    ServiceType,
    minor_units,
)

from .vocabulary import KIND_TO_SERVICE, ORDER_STATUSES, PAYMENT_METHODS, RESERVATION_STATUSES, WEEKDAYS


def parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def percent(value: Decimal) -> int | float:
    """VAT as the market's JSON number (an exact integer where possible)."""
    return int(value) if value == value.to_integral_value() else float(value)


# --- orders --------------------------------------------------------------------


def _line(data: dict[str, Any], currency: str) -> OrderLine:
    return OrderLine(
        sku=data.get("plu") or "",
        name=data["title"],
        quantity=int(data["qty"]),
        unit_price=Money.from_cents(int(data["unit_cents"]), currency),
        vat_rate=Decimal(str(data.get("vat_pct", 0))),
        notes=data.get("remarks") or "",
        options=tuple(_line(extra, currency) for extra in data.get("extras") or ()),
    )


def ticket_to_order(ticket: dict[str, Any]) -> CanonicalOrder:
    """A Sandbox Market ticket (order or table booking) as a canonical order."""
    totals = ticket["totals"]
    currency = totals["currency"]
    service_type = KIND_TO_SERVICE[ticket["kind"]]
    status_map = RESERVATION_STATUSES if service_type == ServiceType.RESERVATION else ORDER_STATUSES

    def money(key: str) -> Money:
        return Money.from_cents(int(totals.get(key) or 0), currency)

    vat = money("vat_cents")
    goods = money("goods_cents")
    payment = ticket.get("payment") or {}
    payments: tuple[Payment, ...] = ()
    if payment.get("method"):
        payments = (
            Payment(
                method=PAYMENT_METHODS.get(payment["method"], PaymentMethod.OTHER),
                amount=money("grand_total_cents"),
                prepaid=bool(payment.get("paid")),
            ),
        )
    drop_off = ticket.get("drop_off")
    courier = ticket.get("courier")
    customer = ticket.get("customer") or {}
    return CanonicalOrder(
        channel_order_id=ticket["ticket_id"],
        display_code=ticket.get("pickup_code") or "",
        service_type=service_type,
        status=status_map.to_canonical(ticket["state"], service_type),
        channel_status=ticket["state"],
        placed_at=parse_time(ticket["placed_at"]),
        scheduled_for=parse_time(ticket.get("wanted_at")),
        diners=ticket.get("covers"),
        reservation_at=parse_time(ticket.get("booking_at")),
        currency=currency,
        customer=Customer(name=customer.get("display_name") or "", phone=customer.get("phone") or ""),
        delivery_address=(
            Address(
                street=drop_off.get("street") or "",
                city=drop_off.get("city") or "",
                postcode=drop_off.get("postcode") or "",
                lat=drop_off.get("lat"),
                lng=drop_off.get("lng"),
                instructions=drop_off.get("remarks") or "",
            )
            if drop_off
            else None
        ),
        notes=ticket.get("comment") or "",
        lines=tuple(_line(line, currency) for line in ticket.get("basket") or ()),
        amounts=OrderAmounts(
            subtotal=goods - vat,
            vat=vat,
            total=money("grand_total_cents"),
            delivery_fee=money("delivery_fee_cents"),
            tip=money("tip_cents"),
            discount=money("discount_cents"),
        ),
        payments=payments,
        delivery=(
            DeliveryInfo(
                driver_name=courier.get("name") or "",
                driver_phone=courier.get("phone") or "",
                tracking_url=courier.get("tracking_url") or "",
                dropoff_eta=parse_time(courier.get("eta")),
            )
            if courier
            else None
        ),
    )


# --- catalog -------------------------------------------------------------------


def _item(product: CatalogProduct, groups: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {
        "plu": product.sku,
        "title": product.name,
        "description": product.description,
        "price_cents": minor_units(product.price),
        "vat_pct": percent(product.vat_rate),
        "available": product.available,
        "sizes": [
            {"plu": v.sku, "title": v.name, "price_cents": minor_units(v.price), "available": v.available}
            for v in product.variants
        ],
        "extra_groups": [groups[ref] for ref in product.option_category_refs],
    }


def _extra_group(category: CatalogOptionCategory) -> dict[str, Any]:
    return {
        "ref": category.ref,
        "title": category.name,
        "min_pick": category.min_selections,
        "max_pick": category.max_selections,
        "max_same": category.max_per_option,
        "extras": [
            {
                "plu": o.sku,
                "title": o.name,
                "price_cents": minor_units(o.price),
                "vat_pct": percent(o.vat_rate),
                "available": o.available,
            }
            for o in category.options
        ],
    }


def catalog_to_menu(catalog: CanonicalCatalog) -> dict[str, Any]:
    """The market nests items in sections, so shared products are repeated where they appear.

    Products and option groups are looked up by reference through dicts built
    once: a linear search per section item made a 5,000-product menu take
    seconds (bench 3). Each option group is translated once and shared.
    """
    products = {product.sku: product for product in catalog.products}
    groups = {category.ref: _extra_group(category) for category in catalog.option_categories}
    return {
        "currency": catalog.currency,
        "menus": [
            {
                "ref": menu.ref,
                "title": menu.name,
                "kind": "SET" if menu.kind == MenuKind.SET_MENU else "CARTE",
                "set_price_cents": minor_units(menu.set_price) if menu.set_price is not None else None,
                "sections": [
                    {
                        "ref": section.ref,
                        "title": section.name,
                        "items": [_item(products[sku], groups) for sku in section.product_skus],
                    }
                    for section in menu.sections
                ],
            }
            for menu in catalog.menus
        ],
    }


def item_update_to_patch(update: ItemUpdate) -> dict[str, Any]:
    patch: dict[str, Any] = {}
    if update.name is not None:
        patch["title"] = update.name
    if update.price is not None:
        patch["price_cents"] = minor_units(update.price)
    if update.available is not None:
        patch["available"] = update.available
    return patch


# --- availability ----------------------------------------------------------------


def availability_to_hours(availability: Availability) -> dict[str, Any]:
    """The market takes one row per day; a range over several days becomes one row per day."""
    weekly = [
        {"day": WEEKDAYS[day], "opens": r.start_time.strftime("%H:%M"), "closes": r.end_time.strftime("%H:%M")}
        for r in availability.weekly
        if r.service_type in (None, ServiceType.DELIVERY)
        for day in r.days()
    ]
    return {
        "timezone": availability.timezone,
        "weekly": weekly,
        "exceptions": [
            {
                "from": e.starts_at.isoformat().replace("+00:00", "Z"),
                "to": e.expires_at.isoformat().replace("+00:00", "Z"),
                "closed": e.closed,
            }
            for e in availability.exceptions
        ],
    }


def iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None
