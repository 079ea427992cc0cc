"""Uber Eats orders (``GET /v2/eats/order/{order_id}``) as canonical orders, field by field as Uber documents them.

Written from docs/eats/references/api/v2/get-eats-order-orderid (see docs/channels/uber_eats.md §2):

- Money is ``{amount, currency_code, formatted_amount}``; ``amount`` is an integer in the currency's smallest
  unit. Instants are ISO-8601 with the store's local offset; they are kept as the same instant in UTC.
- An item's ``price.unit_price`` *includes* its selected options, ``base_unit_price`` does not. A canonical
  line's own price excludes its options (each option is a child line with its own price), so a line takes
  ``base_unit_price`` and its options their own ``base_unit_price``: the lines add up to ``sub_total`` once.
  Option quantities are per unit of the parent (the reading consistent with the documented prices).
- ``charges.tax`` is "calculated on sub_total" and the page's example adds it on top (US): whether the tax
  is inside the prices is decided from the arithmetic of the charges, never assumed.
- Merchant-funded promotions: ``*_promo_applied`` are the sub total, tax and total *with* the promotion; the
  discount is ``sub_total − sub_total_promo_applied`` (else the promotions' ``promo_discount_value``).
- Fees are each their own field; ``total_fee`` is their total (paid out to the merchant): what it holds
  beyond the named fees is kept as an extra fee, never dropped.
- ``cash_amount_due`` (merchant delivery) is cash the restaurant's courier collects. Nothing else in v2 says
  how an order is paid: the payment method is unknown, not "online".
- No v2 field says an order is scheduled: the webhook's event type does (``scheduled``, from the client).
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
    Money,
    OrderAmounts,
    OrderLine,
    Payment,
    PaymentMethod,
    RemovedIngredient,
    ServiceType,
)
from integrations.http import PermanentChannelError

from .vocabulary import HANDOVERS, ORDER_STATUSES, ORDER_TYPES

Json = dict[str, Any]


def parse_time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def money(value: Json | None, currency: str) -> Money | None:
    """Uber's Money, or None when the field is not sent (not sent is not zero)."""
    if not value or value.get("amount") is None:
        return None
    return Money.from_minor_units(int(value["amount"]), value.get("currency_code") or currency)


def _amount(value: Money | None) -> Decimal:
    return value.amount if value is not None else Decimal(0)


# --- lines ------------------------------------------------------------------------------------


def _groups(item: Json) -> list[Json]:
    return list(item.get("selected_modifier_groups") or ())


def _own_price(item: Json, currency: str) -> Money:
    """The item's price per unit without its options: ``base_unit_price`` (documented); when a response lacks
    it, ``unit_price`` less the options' ``total_price`` per parent unit, so the options are never counted twice."""
    price = item.get("price") or {}
    base = money(price.get("base_unit_price"), currency)
    if base is not None:
        return base
    unit = money(price.get("unit_price"), currency) or Money.zero(currency)
    options = sum(
        (_amount(money((option.get("price") or {}).get("total_price"), currency))
         for group in _groups(item) for option in group.get("selected_items") or ()),
        Decimal(0),
    )
    return Money(amount=unit.amount - options, currency=unit.currency)


def _allergies(item: Json) -> str:
    """``special_requests[].allergy``: the allergens to leave out and the eater's instructions, in one note."""
    notes = []
    for request in item.get("special_requests") or ():
        allergy = request.get("allergy") or {}
        allergens = []
        for allergen in allergy.get("allergens_to_exclude") or ():
            kind, text = allergen.get("type") or "", allergen.get("freeform_text") or ""
            allergens.append(f"{kind} ({text})" if kind and text else kind or text)
        parts = [f"exclude {', '.join(a for a in allergens if a)}" if any(allergens) else "",
                 allergy.get("allergy_instructions") or ""]
        if any(parts):
            notes.append(" — ".join(part for part in parts if part))
    return "; ".join(notes)


def _removed(item: Json) -> tuple[RemovedIngredient, ...]:
    """``removed_items``: default options the eater took off ("no pickles"); ``default_quantity`` is how many
    the item would have had."""
    removed = []
    for group in _groups(item):
        for option in group.get("removed_items") or ():
            default = option.get("default_quantity")
            removed.append(RemovedIngredient(name=option.get("title") or option.get("id") or "?",
                                             sku=option.get("id") or "",
                                             quantity=int(default) if default else None))
    return tuple(removed)


def _line(item: Json, currency: str, group: str = "", eaters: dict[str, str] | None = None) -> OrderLine:
    """One cart item; ``eaters``: a group order's participants by id, so each line says whom it is for."""
    return OrderLine(
        sku=item.get("id") or "",  # "provided by the store": our SKU (external_data is free-form metadata)
        name=item["title"],
        quantity=int(item["quantity"]),
        unit_price=_own_price(item, currency),
        vat_rate=None,  # v2 gives the order's tax, not a rate per item
        notes=item.get("special_instructions") or "",
        allergy_notes=_allergies(item),
        removed=_removed(item),
        group=group,
        channel_line_id=item.get("instance_id") or "",
        for_person=(eaters or {}).get(item.get("eater_id") or "", ""),
        options=tuple(
            _line(option, currency, group=grp.get("title") or "")
            for grp in _groups(item)
            for option in grp.get("selected_items") or ()
        ),
    )


# --- who, where, when -------------------------------------------------------------------------


def _customer(eater: Json) -> Customer:
    name = " ".join(part for part in (eater.get("first_name"), eater.get("last_name")) if part)
    # phone_code: "the code to enter after dialling the (anonymized) phone": kept apart, never joined to it
    return Customer(name=name, phone=eater.get("phone") or "", phone_code=eater.get("phone_code") or "")


def _participants(order: Json) -> dict[str, str]:
    """A group order's ``eaters`` (id, first name), so each cart item's ``eater_id`` names a person; a
    one-person order names nobody (the customer is the order's)."""
    eaters = {eater.get("id"): eater.get("first_name") or "" for eater in order.get("eaters") or ()}
    return {key: name for key, name in eaters.items() if key and name} if len(eaters) > 1 else {}


def _address(eater: Json) -> Address | None:
    """``eater.delivery`` (merchant delivery only): a Location has no city or postcode in v2, only the whole
    address as one line (``street_address``), so it is kept whole in ``street`` and never parsed apart."""
    delivery = eater.get("delivery") or {}
    location = delivery.get("location")
    if not location:
        return None
    # type says which is given: STREET_ADDRESS (street_address, latitude, longitude) or GOOGLE_PLACE (only
    # google_place_id, kept as the address's text: it is all Uber gives for such a location).
    kind = location.get("type")
    street = location.get("street_address") or ""
    if kind == "GOOGLE_PLACE" and not street and location.get("google_place_id"):
        street = f"Google place {location['google_place_id']}"
    return Address(street=street, unit=location.get("unit_number") or "",
                   lat=location.get("latitude"), lng=location.get("longitude"),
                   instructions=delivery.get("notes") or "",
                   business_name=location.get("business_name") or "",
                   handover=HANDOVERS.get(delivery.get("type") or ""))


def _delivery(order: Json, service_type: ServiceType, couriers: list[Json]) -> DeliveryInfo | None:
    """The courier: Uber's (``deliveries[]``, "populated once one or more delivery partners are scheduled"; the
    first is the one coming to the restaurant) or the restaurant's own."""
    if service_type != ServiceType.DELIVERY:
        return None
    courier = couriers[0] if couriers else {}
    return DeliveryInfo(
        by_restaurant=order["type"] == "DELIVERY_BY_RESTAURANT",
        driver_name=courier.get("first_name") or "",
        driver_phone=courier.get("phone") or "",
        phone_code=courier.get("phone_code") or "",
        courier_status=courier.get("current_state") or "",
        pickup_eta=parse_time(courier.get("estimated_pickup_time")),
        vehicle=_vehicle(courier.get("vehicle") or {}),
        picture_url=courier.get("picture_url") or "",
    )


def _vehicle(vehicle: Json) -> str:
    """"Red Honda Scooter, plate UB-4821": what the counter needs to recognise the courier."""
    described = " ".join(str(vehicle[key]) for key in ("color", "make", "model") if vehicle.get(key))
    plate = vehicle.get("license_plate")
    return ", ".join(part for part in (described, f"plate {plate}" if plate else "") if part)


def _packaging(order: Json) -> bool | None:
    """``packaging.disposable_items.should_include``; null means no selection (the merchant's call)."""
    disposables = (order.get("packaging") or {}).get("disposable_items") or {}
    value = disposables.get("should_include")
    return None if value is None else bool(value)


# --- money ------------------------------------------------------------------------------------


def _fees(charges: Json, currency: str) -> tuple[dict[str, Money | None], tuple[Fee, ...], Money | None]:
    """The named fees, the other fees, and the tax on fees."""
    named = {
        "delivery_fee": money(charges.get("delivery_fee"), currency),
        "bag_fee": money(charges.get("bag_fee"), currency),
        "small_order_surcharge": money(charges.get("small_order_fee"), currency),
        "tip": money(charges.get("tip"), currency),
    }
    extra = []
    pick_and_pack = money(charges.get("pick_and_pack_fee"), currency)
    if pick_and_pack is not None:
        extra.append(Fee(name="pick_and_pack", amount=pick_and_pack))
    # total_fee: the fees paid out to the merchant. What it holds beyond the fees Uber names is kept, unnamed.
    total_fee = money(charges.get("total_fee"), currency)
    named_in_total = sum((_amount(named[key]) for key in ("delivery_fee", "bag_fee", "small_order_surcharge")),
                         _amount(pick_and_pack))
    if total_fee is not None and total_fee.amount > named_in_total:
        extra.append(Fee(name="other_fees", amount=Money(amount=total_fee.amount - named_in_total,
                                                         currency=total_fee.currency)))
    # Tax on fees: total_fee_tax is the tax of total_fee; the per-fee taxes are its parts.
    fee_tax = money(charges.get("total_fee_tax"), currency)
    parts = [money(charges.get(key), currency) for key in ("delivery_fee_tax", "small_order_fee_tax")]
    if fee_tax is None and any(part is not None for part in parts):
        fee_tax = Money(amount=sum((_amount(part) for part in parts), Decimal(0)), currency=currency)
    return named, tuple(extra), fee_tax


def _discount(charges: Json, payment: Json, currency: str) -> Money | None:
    sub_total = money(charges.get("sub_total"), currency)
    with_promotion = money(charges.get("sub_total_promo_applied"), currency)
    if sub_total is not None and with_promotion is not None:
        return Money(amount=sub_total.amount - with_promotion.amount, currency=sub_total.currency)
    promotions = list(((payment.get("promotions") or {}).get("promotions")) or ())
    values = [promotion.get("promo_discount_value") for promotion in promotions]
    if any(value is not None for value in values):
        return Money.from_minor_units(sum(int(value or 0) for value in values), currency)
    return None


def _outside_total(charges: Json, currency: str) -> tuple[Fee, ...]:
    """``marketplace_fee_due_to_uber``: what the merchant owes Uber on the order; the docs' total excludes
    marketplace fees, so it is kept beside the total, not inside it."""
    marketplace = money(charges.get("marketplace_fee_due_to_uber"), currency)
    return () if marketplace is None else (Fee(name="marketplace_fee_due_to_uber", amount=marketplace),)


def _tip_in_total(base: Decimal, tax: Money | None, fees: Decimal, tip: Money | None, total: Money) -> bool | None:
    """Whether ``total`` holds the tip, from the arithmetic (the docs do not say); None when it does not tell."""
    if tip is None or not tip.amount:
        return True
    taxes = {Decimal(0)} | ({tax.amount} if tax is not None else set())
    with_tip = any(total.amount == base + fees + tip.amount + t for t in taxes)
    without_tip = any(total.amount == base + fees + t for t in taxes)
    if with_tip != without_tip:
        return with_tip
    return None


def _tax_inside(base: Decimal, tax: Money | None, fees: Decimal, tip: Money | None, total: Money) -> bool | None:
    """Whether the prices hold the tax, from the arithmetic of Uber's charges (with or without the tip: the docs
    do not say whether ``total`` holds it); None when the arithmetic does not tell."""
    if tax is None:
        return None
    for charged in dict.fromkeys((fees, fees + _amount(tip))):
        if total.amount == base + charged + tax.amount:
            return False  # added on top, as in the documented (US) example
        if tax.amount and total.amount == base + charged:
            return True
    return None


def _amounts(order: Json, currency: str) -> tuple[OrderAmounts, Money | None]:
    payment = order.get("payment") or {}
    charges = payment.get("charges") or {}
    sub_total = money(charges.get("sub_total"), currency) or Money.zero(currency)
    named, extra, fee_tax = _fees(charges, currency)
    discount = _discount(charges, payment, currency)
    total = money(charges.get("total"), currency) or Money.zero(currency)
    tax = money(charges.get("tax"), currency)
    promo_total = money(charges.get("total_promo_applied"), currency)
    if promo_total is not None:  # the order's total and tax with the merchant-funded promotion
        total = promo_total
        tax = money(charges.get("tax_promo_applied"), currency) or tax
    if tax is not None and fee_tax is not None:
        tax = Money(amount=tax.amount + fee_tax.amount, currency=tax.currency)
    total_fee = _amount(money(charges.get("total_fee"), currency))
    base = sub_total.amount - _amount(discount)
    amounts = OrderAmounts(
        subtotal=sub_total,
        vat=tax,
        prices_include_vat=_tax_inside(base, tax, total_fee, named["tip"], total),
        total=total,
        delivery_fee=named["delivery_fee"],
        bag_fee=named["bag_fee"],
        small_order_surcharge=named["small_order_surcharge"],
        extra_fees=extra,
        tip=named["tip"],
        tip_in_total=_tip_in_total(base, tax, total_fee, named["tip"], total),
        discount=discount,
        outside_total=_outside_total(charges, currency),
    )
    return amounts, money(charges.get("cash_amount_due"), currency)


def _payment(total: Money, cash_due: Money | None) -> Payment:
    """v2 documents no payment method: only ``cash_amount_due`` (merchant delivery) says what is left to collect."""
    if cash_due is None:
        return Payment(method=PaymentMethod.UNKNOWN, amount=total, prepaid=None)
    if cash_due.amount > 0:
        return Payment(method=PaymentMethod.CASH, amount=total, prepaid=False, channel_method="cash_amount_due",
                       cash_to_collect=cash_due)
    return Payment(method=PaymentMethod.UNKNOWN, amount=total, prepaid=True, cash_to_collect=cash_due)


# --- the order --------------------------------------------------------------------------------


def order_to_canonical(order: Json, default_currency: str = "USD", *, raw: Json | None = None) -> CanonicalOrder:
    """The canonical order for one ``GET /v2/eats/order/{id}`` response (``raw``: the response as received)."""
    charges = (order.get("payment") or {}).get("charges") or {}
    currency = (charges.get("total") or {}).get("currency_code") or default_currency
    order_type = order.get("type")
    if order_type not in ORDER_TYPES:  # "type" is Required, with four documented values
        raise PermanentChannelError(f"Uber answered order {order.get('id')} with an unknown type {order_type!r}",
                                    operation="get_order")
    service_type = ORDER_TYPES[order_type]
    eater = order.get("eater") or {}
    cart = order.get("cart") or {}
    state = order["current_state"]
    amounts, cash_due = _amounts(order, currency)
    delivery = _delivery(order, service_type, list(order.get("deliveries") or ()))
    eaters = _participants(order)
    return CanonicalOrder(
        channel_order_id=order["id"],
        display_code=order.get("display_id") or "",
        ordered_via=order.get("brand") or "",  # UBER_EATS or POSTMATES: the app the eater ordered in
        service_type=service_type,
        status=ORDER_STATUSES.to_canonical(state, service_type),
        channel_status=state,
        placed_at=parse_time(order["placed_at"]),
        estimates=Estimates(ready_at=parse_time(order.get("estimated_ready_for_pickup_at")),
                            pickup_at=delivery.pickup_eta if delivery else None),
        currency=currency,
        customer=_customer(eater),
        delivery_address=_address(eater),
        notes=cart.get("special_instructions") or "",
        disposables_requested=_packaging(order),
        lines=tuple(_line(item, currency, eaters=eaters) for item in cart.get("items") or ()),
        amounts=amounts,
        payments=(_payment(amounts.total, cash_due),),
        delivery=delivery,
        channel_payload=raw,
    )
