"""The canonical catalog as an Uber Eats v2 menu (``PUT /v2/eats/stores/{store_id}/menus``) and item updates.

Uber's menu is flat: ``items`` (products, variants and options are all
items), ``modifier_groups`` (option categories; variants become a required
one-of-one group), ``categories`` (sections) and ``menus``. Prices are
integer minor units in ``price_info.price``. An unavailable item is
suspended (``suspension_info``). Each menu's ``service_availability`` is the
restaurant's weekly hours: Uber's menu guide makes the store's hours the union
of its menus' service availability, so a menu served 00:00–23:59 every day
would open the store around the clock (uber_eats.md finding 28). Only a
catalog that gives no hours at all (``hours`` None, or none set) keeps the
whole day.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from canonical import CanonicalCatalog, CatalogProduct, ItemUpdate, ServiceType, WeeklyRange, minor_units

from .vocabulary import WEEKDAYS

SUSPEND_FOREVER = 4102444800  # 2100-01-01: Uber has no "unavailable" flag, only a suspension end


def text(value: str) -> dict[str, Any]:
    return {"translations": {"en_us": value}}


def suspension(available: bool, until: datetime | None = None) -> dict[str, Any]:
    if available and until is None:
        return {"suspension": None}
    return {"suspension": {"suspend_until": int(until.timestamp()) if until else SUSPEND_FOREVER,
                           "reason": "unavailable"}}


def _item(sku: str, name: str, price: Any, available: bool, currency: str, **extra: Any) -> dict[str, Any]:
    item = {"id": sku, "external_data": sku, "title": text(name), "price_info": {"price": minor_units(price, currency)},
            "suspension_info": suspension(available), **extra}
    return item


def _variant_group(product: CatalogProduct) -> dict[str, Any]:
    return {
        "id": f"{product.sku}~size",
        "title": text("Size"),
        "quantity_info": {"quantity": {"min_permitted": 1, "max_permitted": 1}},
        "modifier_options": [{"id": variant.sku, "type": "ITEM"} for variant in product.variants],
    }


def catalog_to_menu(catalog: CanonicalCatalog) -> dict[str, Any]:
    items: list[dict[str, Any]] = []
    groups: list[dict[str, Any]] = []
    for product in catalog.products:
        group_ids = list(product.option_category_refs)
        if product.variants:
            groups.append(_variant_group(product))
            group_ids.insert(0, f"{product.sku}~size")
            # A variant's price is the difference to the product's own price (never negative).
            items += [_item(v.sku, v.name, max(v.price - product.price, 0), v.available, catalog.currency)
                      for v in product.variants]
        items.append(_item(product.sku, product.name, product.price, product.available, catalog.currency,
                           description=text(product.description),
                           tax_info={"vat_rate_percentage": float(product.vat_rate)},
                           modifier_group_ids={"ids": group_ids}))
    for category in catalog.option_categories:
        groups.append({
            "id": category.ref,
            "title": text(category.name),
            "quantity_info": {"quantity": {"min_permitted": category.min_selections,
                                           "max_permitted": category.max_selections}},
            "modifier_options": [{"id": option.sku, "type": "ITEM"} for option in category.options],
        })
        items += [_item(o.sku, o.name, o.price, o.available, catalog.currency,
                        tax_info={"vat_rate_percentage": float(o.vat_rate)}) for o in category.options]
    sections = [section for menu in catalog.menus for section in menu.sections]
    return {
        "items": items,
        "modifier_groups": groups,
        "categories": [{"id": s.ref, "title": text(s.name),
                        "entities": [{"id": sku, "type": "ITEM"} for sku in s.product_skus]} for s in sections],
        "menus": [{
            "id": menu.ref,
            "title": text(menu.name),
            "service_availability": service_availability(catalog.hours),
            "category_ids": [section.ref for section in menu.sections],
        } for menu in catalog.menus],
    }


ALL_DAY = ("00:00", "23:59")
"""Uber's day: a period ends at 23:59 at the latest (its example menus' whole-day period)."""


def service_availability(hours: tuple[WeeklyRange, ...] | None) -> list[dict[str, Any]]:
    """Per weekday, the periods the restaurant serves orders (reservation-only ranges left out), merged; a shift
    past midnight ends the day at 23:59 and goes on from 00:00 the next day. No hours given: every day whole."""
    served = [r for r in hours or () if r.service_type in (None, ServiceType.DELIVERY, ServiceType.COLLECTION)]
    if not served:
        return [{"day_of_week": day, "time_periods": [dict(zip(("start_time", "end_time"), ALL_DAY, strict=True))]}
                for day in WEEKDAYS]
    periods: dict[int, list[tuple[str, str]]] = {day: [] for day in range(7)}
    for shift in served:
        start, end = shift.start_time.strftime("%H:%M"), shift.end_time.strftime("%H:%M")
        for day in shift.days():
            if shift.crosses_midnight:
                periods[day].append((start, ALL_DAY[1]))
                if end != "00:00":
                    periods[(day + 1) % 7].append((ALL_DAY[0], end))
            else:
                periods[day].append((start, end))
    return [{"day_of_week": WEEKDAYS[day],
             "time_periods": [{"start_time": a, "end_time": b} for a, b in _merged(periods[day])]}
            for day in range(7) if periods[day]]


def _merged(periods: list[tuple[str, str]]) -> list[tuple[str, str]]:
    merged: list[tuple[str, str]] = []
    for start, end in sorted(periods):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def item_update_to_body(update: ItemUpdate, currency: str | None = None) -> dict[str, Any]:
    """A sparse ``POST …/menus/items/{item_id}`` body: only price and availability can change. The price is "in
    the lowest local currency denomination" ([ITEM] 'PriceRules'): 1250 for 12.50 USD, 1250 for 1250 JPY."""
    body: dict[str, Any] = {}
    if update.price is not None:
        body["price_info"] = {"price": minor_units(update.price, currency)}
    if update.available is not None or update.snoozed_until is not None:
        available = update.available if update.available is not None else False
        body["suspension_info"] = suspension(available, update.snoozed_until)
    return body
