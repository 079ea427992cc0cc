"""The canonical catalog as a Deliveroo menu upload (``PUT /menu/v1/brands/{brand}/menus/{menu}``).

The upload's top level is documented (``name``, ``menu``, ``site_ids``); the menu object's own fields
(categories with item ids, items with a PLU and a price in minor units, modifier groups with their items and
selection limits) follow Deliveroo's Menu API glossary (item, modifier, category, menu) and are NOT confirmed
field by field in the stored copies (docs/channels/deliveroo.md §4): the corpus has no request example for it.
Deliveroo has no variants: a product's variants become a one-of-one modifier group, each option priced at the
difference to the product. Names and descriptions are localised maps; the restaurant's one language is sent as
``en``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from canonical import CanonicalCatalog
from canonical.money import minor_units


def _text(value: str) -> dict[str, str]:
    return {"en": value}


def _price(amount: Decimal, currency: str) -> dict[str, int]:
    return {"price": minor_units(amount, currency)}


def catalog_to_menu(catalog: CanonicalCatalog, name: str, site_id: str) -> dict[str, Any]:
    currency = catalog.currency
    items: list[dict[str, Any]] = []
    modifiers: list[dict[str, Any]] = []
    for group in catalog.option_categories:
        modifiers.append({"id": group.ref, "name": _text(group.name), "min_selection": group.min_selections,
                          "max_selection": group.max_selections, "repeatable": group.max_per_option > 1,
                          "item_ids": [option.sku for option in group.options]})
        items += [{"id": option.sku, "plu": option.sku, "name": _text(option.name),
                   "price_info": _price(option.price, currency), "tax_rate": str(option.vat_rate),
                   "type": "CHOICE", "modifier_ids": []} for option in group.options]
    for product in catalog.products:
        modifier_ids = list(product.option_category_refs)
        if product.variants:
            size = f"{product.sku}~size"
            modifiers.append({"id": size, "name": _text("Size"), "min_selection": 1, "max_selection": 1,
                              "repeatable": False, "item_ids": [variant.sku for variant in product.variants]})
            items += [{"id": variant.sku, "plu": variant.sku, "name": _text(variant.name),
                       "price_info": _price(max(variant.price - product.price, Decimal(0)), currency),
                       "tax_rate": str(product.vat_rate), "type": "CHOICE", "modifier_ids": []}
                      for variant in product.variants]
            modifier_ids.insert(0, size)
        items.append({"id": product.sku, "plu": product.sku, "name": _text(product.name),
                      "description": _text(product.description), "price_info": _price(product.price, currency),
                      "tax_rate": str(product.vat_rate), "type": "ITEM", "modifier_ids": modifier_ids,
                      **({"image": {"url": product.image_url}} if product.image_url else {})})
    categories = [{"id": section.ref, "name": _text(section.name), "description": _text(section.description),
                   "item_ids": list(section.product_skus)} for menu in catalog.menus for section in menu.sections]
    return {"name": name, "site_ids": [site_id],
            "menu": {"categories": categories, "items": items, "modifiers": modifiers}}
