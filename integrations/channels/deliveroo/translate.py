"""Deliveroo's order (the ``order`` of an order event) as a canonical order, and a rider event as a courier update.

The order event carries the whole order (there is nothing to fetch). Money is ``{fractional, currency_code}``:
"the value … in the fractional or subunit of the currency (e.g. pence, cents)", ISO 4217, so each currency
keeps its own minor units (a Kuwaiti dinar has three). Instants are RFC 3339 / ISO-8601 UTC.

Readings chosen where the documentation leaves it open (docs/channels/deliveroo.md §3 says why each loses
nothing): a line's own price is ``menu_unit_price`` (the menu's price; ``unit_price`` is what was charged
per unit, after the offer) and the offer is the order's discount (``offer_discount``, the lines'
``discount_amount`` summed); ``total_price`` is the customer's total; the bag fee and each ``fee_breakdown``
entry are fees inside it; ``cash_due`` is cash the restaurant collects (0: paid on Deliveroo); a modifier's
quantity is per unit of its item; ``cutlery_notes`` is text Deliveroo writes ("NO CUTLERY"), kept in the notes,
never turned into a yes/no of ours; ``prepare_for`` is when the food must be ready (the kitchen's target of a
scheduled order); ``confirm_at`` is the confirm-by time of a scheduled order.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from canonical import (
    Address,
    Cancellation,
    CancelledBy,
    CanonicalOrder,
    CourierPosition,
    CourierUpdate,
    Customer,
    DeliveryInfo,
    Estimates,
    Fee,
    Money,
    OrderAmounts,
    OrderLine,
    Payment,
    PaymentMethod,
)
from canonical.enums import CourierStage
from integrations.channels.errors import MalformedWebhook

from .vocabulary import BEFORE_PICKUP, FULFILMENT, ORDER_STATUSES, RIDER_STAGES


def instant(value: Any) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def money(value: Any, currency: str) -> Money | None:
    """``{fractional, currency_code}`` → Money; None when Deliveroo sends none."""
    if not value:
        return None
    code = str(value.get("currency_code") or currency)
    return Money.from_minor_units(int(value["fractional"]), code)


def _line(item: dict[str, Any], currency: str) -> OrderLine:
    # The line's own price is the menu's: what the offer took off is the order's discount (fields.py).
    menu_price = money(item.get("menu_unit_price"), currency) or money(item["unit_price"], currency)
    if menu_price is None:
        raise MalformedWebhook(f"item {item.get('name')!r} has no price")
    return OrderLine(
        sku=str(item.get("pos_item_id") or ""),
        name=str(item["name"]),
        quantity=int(item["quantity"]),
        unit_price=menu_price,
        options=tuple(_line(modifier, currency) for modifier in item.get("modifiers") or ()),
    )


def _discount(order: dict[str, Any], currency: str) -> Money | None:
    offer = money(order.get("offer_discount"), currency)
    lines = [money(item.get("discount_amount"), currency) for item in order.get("items") or ()]
    summed = sum((line.amount for line in lines if line is not None), Decimal(0))
    if offer is None and not summed:
        return None
    if offer is not None and summed and offer.amount != summed:
        raise MalformedWebhook(f"offer_discount {offer.amount} is not the items' discount_amount summed ({summed})")
    return offer


def _placed_at(order: dict[str, Any]) -> datetime:
    log = order.get("status_log") or ()
    entries = [(entry.get("status"), instant(entry.get("at"))) for entry in log]
    placed = next((at for status, at in entries if status == "placed" and at), None)
    first = next((at for _status, at in entries if at), None)
    found = placed or first
    if found is None:
        raise MalformedWebhook("the order has no status_log to date it")
    return found


def _notes(order: dict[str, Any]) -> str:
    parts = [str(order.get("order_notes") or "").strip()]
    cutlery = str(order.get("cutlery_notes") or "").strip()
    if cutlery:
        parts.append(f"Cutlery: {cutlery}")
    return "\n".join(part for part in parts if part)


def _address(delivery: dict[str, Any] | None) -> Address | None:
    """The restaurant's own courier's address (``fulfillment_type`` restaurant only; field names: deliveroo.md)."""
    if not delivery or not delivery.get("address"):
        return None
    address = delivery["address"]
    return Address(street=str(address.get("address_line_1") or ""), unit=str(address.get("address_line_2") or ""),
                   city=str(address.get("city") or ""),
                   postcode=str(address.get("postcode") or ""), lat=address.get("latitude"),
                   lng=address.get("longitude"), instructions=str(delivery.get("notes") or ""))


def order_to_canonical(order: dict[str, Any], raw: dict[str, Any] | None = None) -> CanonicalOrder:
    """``body.order`` of an ``order.new`` / ``order.status_update`` event."""
    kind = str(order["fulfillment_type"])
    if kind not in FULFILMENT:
        raise MalformedWebhook(f"fulfillment_type {kind!r} is not one Deliveroo documents")
    service_type, by_restaurant = FULFILMENT[kind]
    total = order["total_price"]
    currency = str(total["currency_code"])
    status_code = str(order.get("status") or "")
    delivery = order.get("delivery") if by_restaurant else None
    customer = order.get("customer") if by_restaurant else None
    extra_fees = tuple(
        Fee(name=str(fee["type"]), amount=money(fee["amount"], currency))  # type: ignore[arg-type]
        for fee in order.get("fee_breakdown") or ()
    )
    cash = money(order.get("cash_due"), currency)
    amount = money(total, currency)
    assert amount is not None
    collect = cash if cash is not None and cash.amount > 0 else None
    payment = Payment(method=PaymentMethod.CASH if collect else PaymentMethod.UNKNOWN, amount=amount,
                      prepaid=collect is None, cash_to_collect=collect)
    lines = tuple(_line(item, currency) for item in order.get("items") or ())
    subtotal = Money(amount=sum((line.gross_total() for line in lines), Decimal(0)), currency=currency)
    scheduled = order.get("asap") is False
    prepare_for = instant(order.get("prepare_for"))
    return CanonicalOrder(
        channel_order_id=str(order["id"]),
        display_code=str(order.get("display_id") or ""),
        service_type=service_type,
        status=ORDER_STATUSES.to_canonical(status_code, service_type) if status_code else None,
        channel_status=status_code,
        placed_at=_placed_at(order),
        scheduled_for=prepare_for if scheduled else None,
        confirm_by=instant(order.get("confirm_at")),
        estimates=Estimates(ready_at=prepare_for,
                            dropoff_at=instant((delivery or {}).get("estimated_delivery_at"))),
        currency=currency,
        customer=Customer(name=str((customer or {}).get("first_name") or ""),
                          phone=str((customer or {}).get("contact_number") or "")),
        delivery_address=_address(delivery),
        notes=_notes(order),
        courier_code=str((customer or {}).get("contact_access_code") or ""),
        lines=lines,
        amounts=OrderAmounts(
            subtotal=subtotal,
            prices_include_vat=None,  # no VAT field: where the VAT is, is not said
            total=amount,
            bag_fee=money(order.get("bag_fee"), currency),
            delivery_fee=money((delivery or {}).get("delivery_fee"), currency),
            extra_fees=extra_fees,
            discount=_discount(order, currency),
        ),
        payments=(payment,),
        delivery=DeliveryInfo(by_restaurant=by_restaurant) if service_type.value == "delivery" else None,
        cancellation=Cancellation(by=CancelledBy.UNKNOWN) if status_code == "canceled" else None,
        channel_payload=raw,
    )


def courier_update(body: dict[str, Any]) -> tuple[CourierUpdate, datetime | None]:
    """``body`` of a ``rider.status_update``: the latest status of the riders (several for a big order)."""
    latest: tuple[datetime, str, dict[str, Any]] | None = None
    for rider in body.get("riders") or ():
        for entry in rider.get("status_log") or ():
            at = instant(entry.get("at"))
            if at is not None and (latest is None or at >= latest[0]):
                latest = (at, str(entry.get("status") or ""), rider)
    if latest is None:
        raise MalformedWebhook("rider.status_update without any rider status")
    at, code, rider = latest
    stage = RIDER_STAGES.get(code, CourierStage.UNKNOWN)
    eta = instant(rider.get("estimated_arrival_time"))
    position = None
    lat, lon, taken = rider.get("lat"), rider.get("lon"), instant(rider.get("at"))
    if lat is not None and lon is not None:
        position = CourierPosition(lat=lat, lng=lon, recorded_at=taken)
    # Masked phones: contact_number is "bridge_number (bridge_code)"; the bridge number is the one to dial.
    bridge, contact = str(rider.get("bridge_number") or ""), str(rider.get("contact_number") or "")
    update = CourierUpdate(
        stage=stage,
        channel_stage=code,
        name=str(rider.get("full_name") or ""),
        phone=bridge or contact,
        phone_code=str(rider.get("bridge_code") or ""),
        position=position,
        pickup_eta=eta if stage in BEFORE_PICKUP else None,
        dropoff_eta=eta if stage not in BEFORE_PICKUP else None,
    )
    return update, at
