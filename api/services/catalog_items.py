"""One item of the catalog by SKU (products, variants and options share one SKU namespace per restaurant)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.http import Http404

from catalog.models import Option, Product, Variant
from integrations.models import SyncJob
from integrations.outbound.services import publish_catalog
from restaurants.models import Restaurant

CatalogItem = Product | Variant | Option


@dataclass(frozen=True)
class ItemPatched:
    item: CatalogItem
    publishing: list[SyncJob]


def find_item(restaurant: Restaurant, sku: str) -> CatalogItem:
    for queryset in (
        Product.objects.filter(restaurant=restaurant),
        Variant.objects.filter(product__restaurant=restaurant),
        Option.objects.filter(category__restaurant=restaurant),
    ):
        item = queryset.filter(sku=sku).first()
        if item is not None:
            return item
    raise Http404(f"no catalog item with SKU {sku!r}")


def item_kind(item: CatalogItem) -> str:
    return type(item).__name__.lower()


@transaction.atomic
def patch_item(restaurant: Restaurant, item: CatalogItem, changes: dict[str, Any]) -> ItemPatched:
    """Change name, price or availability of one item; the publish diff sends only what changed."""
    for field, value in changes.items():
        setattr(item, field, value)
    item.save(update_fields=list(changes))
    return ItemPatched(item, publish_catalog(restaurant))


def describe(item: CatalogItem) -> dict[str, Any]:
    return {
        "kind": item_kind(item),
        "sku": item.sku,
        "name": item.name,
        "price": item.price,
        "available": item.available,
        "snoozed_until": getattr(item, "snoozed_until", None),
    }
