"""The canonical catalog as a Wolt menu (``POST /v1/restaurants/{venueId}/menu``) and item availability updates.

docs/api/menu: "Creates a menu for the venue or replaces the existing one"; the menu is ``{id, currency,
primary_language, categories[]}`` (currency ISO 4217, language ISO 639-1), each category with an ``id`` and a
translated ``name`` (``[{lang, value}]``). Below the category the stored page is cut off: the item and option
shapes here (``external_data`` carrying our SKU, which orders echo back as ``pos_id`` / ``value_pos_id``; prices
in major units) are from third-party code, and docs/channels/wolt.md §3 says so. Availability changes go to
``PATCH /venues/{venueId}/items`` and ``PATCH /venues/{venueId}/options/values`` (third-party shape:
``{"data": [{"external_id", "in_stock"}]}``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from canonical import CanonicalCatalog, CatalogOptionCategory, CatalogProduct, ItemKind, ItemUpdate


def _text(value: str, language: str) -> list[dict[str, str]]:
    return [{"lang": language, "value": value}]


def _price(value: Decimal) -> float:
    return float(value)  # JSON has no decimals; a price of the menu is at most two places


def _option_group(category: CatalogOptionCategory, language: str) -> dict[str, Any]:
    return {
        "name": _text(category.name, language),
        "external_data": category.ref,
        "min_selections": category.min_selections,
        "max_selections": category.max_selections,
        "values": [{"name": _text(option.name, language), "price": _price(option.price),
                    "external_data": option.sku, "enabled": option.available} for option in category.options],
    }


def _item(product: CatalogProduct, catalog: CanonicalCatalog, language: str) -> dict[str, Any]:
    groups = [_option_group(catalog.option_category(ref), language) for ref in product.option_category_refs]
    if product.variants:  # a variant is a required one-of choice priced as the difference to the product
        groups.insert(0, {"name": _text("Size", language), "external_data": f"{product.sku}~size",
                          "min_selections": 1, "max_selections": 1,
                          "values": [{"name": _text(v.name, language), "price": _price(max(v.price - product.price, 0)),
                                      "external_data": v.sku, "enabled": v.available} for v in product.variants]})
    return {
        "name": _text(product.name, language),
        "description": _text(product.description, language),
        "image_url": product.image_url,
        "price": _price(product.price),
        "vat_percentage": float(product.vat_rate),
        "enabled": product.available,
        "external_data": product.sku,
        "options": groups,
    }


def catalog_to_menu(catalog: CanonicalCatalog, language: str) -> dict[str, Any]:
    categories = [
        {"id": section.ref, "name": _text(section.name, language), "description": _text(section.description, language),
         "items": [_item(catalog.product(sku), catalog, language) for sku in section.product_skus]}
        for menu in catalog.menus for section in menu.sections
    ]
    return {"id": catalog.menus[0].ref if catalog.menus else "menu", "currency": catalog.currency,
            "primary_language": language, "categories": categories}


def availability_updates(updates: list[ItemUpdate]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Items (products and variants) and option values whose availability changes."""
    items, options = [], []
    for update in updates:
        if update.available is None:
            continue
        (options if update.kind == ItemKind.OPTION else items).append(
            {"external_id": update.sku, "in_stock": update.available})
    return items, options
