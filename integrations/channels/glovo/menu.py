"""The canonical catalog as a Glovo menu, and item updates as Glovo PATCH bodies.

Glovo's menu has ``products``, ``attributes`` (options, priced by
``price_impact``), ``attribute_groups`` (min/max selections) and
``collections`` with ``sections`` listing product ids. Glovo has no
variants: they become a one-of-one attribute group whose attributes carry
the price difference. Menu prices are decimal numbers in the currency unit
(unlike orders, which count cents).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from canonical import CanonicalCatalog, ItemKind, ItemUpdate
from integrations.http import PermanentChannelError


def price(amount: Decimal) -> float:
    """JSON needs a number; a two-decimal amount survives the float exactly as written."""
    return float(amount.quantize(Decimal("0.01")))


def catalog_to_menu(catalog: CanonicalCatalog) -> dict[str, Any]:
    attributes: list[dict[str, Any]] = []
    groups: list[dict[str, Any]] = []
    products: list[dict[str, Any]] = []
    for category in catalog.option_categories:
        attributes += [{"id": o.sku, "name": o.name, "price_impact": price(o.price), "available": o.available}
                       for o in category.options]
        groups.append({"id": category.ref, "name": category.name, "min": category.min_selections,
                       "max": category.max_selections, "max_per_attribute": category.max_per_option,
                       "multiple_selection": category.max_per_option > 1,
                       "attributes": [o.sku for o in category.options]})
    for product in catalog.products:
        group_ids = list(product.option_category_refs)
        if product.variants:
            attributes += [{"id": v.sku, "name": v.name, "price_impact": price(max(v.price - product.price, 0)),
                            "available": v.available} for v in product.variants]
            groups.append({"id": f"{product.sku}~size", "name": "Size", "min": 1, "max": 1,
                           "max_per_attribute": 1, "multiple_selection": False,
                           "attributes": [v.sku for v in product.variants]})
            group_ids.insert(0, f"{product.sku}~size")
        products.append({"id": product.sku, "name": product.name, "description": product.description,
                         "price": price(product.price), "image_url": product.image_url or None,
                         "available": product.available, "attributes_groups": group_ids})
    collections = [
        {"name": menu.name, "position": position,
         "sections": [{"name": s.name, "position": index, "products": list(s.product_skus)}
                      for index, s in enumerate(menu.sections)]}
        for position, menu in enumerate(catalog.menus)
    ]
    return {"attributes": attributes, "attribute_groups": groups, "products": products,
            "collections": collections, "supercollections": []}


def item_update_to_patch(update: ItemUpdate) -> tuple[str, dict[str, Any]]:
    """(``products`` or ``attributes``, the PATCH body) for one item; options and variants are attributes.

    The bodies are ``ModifyProduct`` (``price``, ``available``) and ``ModifyAttribute`` (``price_impact``,
    ``available``) of docs/MenuItemsApi.md (3P copy of Glovo's spec): neither takes a name, so a rename is
    refused here rather than sent as a field Glovo does not document (and may drop without a word).
    """
    if update.name is not None:
        raise PermanentChannelError(
            "Glovo's PATCH of a product or attribute takes only its price and availability "
            "(ModifyProduct / ModifyAttribute): publish the full menu to rename it",
            operation="update_catalog_item",
        )
    collection = "products" if update.kind == ItemKind.PRODUCT else "attributes"
    patch: dict[str, Any] = {}
    if update.price is not None:
        patch["price" if collection == "products" else "price_impact"] = price(update.price)
    if update.available is not None:
        patch["available"] = update.available
    return collection, patch
