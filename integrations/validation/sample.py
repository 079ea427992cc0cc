"""What a validation run publishes when the restaurant has no catalog of its own yet."""

from __future__ import annotations

from decimal import Decimal

from canonical import (
    CanonicalCatalog,
    CatalogMenu,
    CatalogOption,
    CatalogOptionCategory,
    CatalogProduct,
    CatalogSection,
    CatalogVariant,
)
from catalog.export import build_canonical_catalog
from restaurants.models import Restaurant


def catalog_to_publish(restaurant: Restaurant) -> tuple[CanonicalCatalog, str]:
    """The restaurant's own catalog when it has one, so the sandbox ends up with the real menu (and the
    outbox's record of what the channel holds stays true); else a small sample. Returns it and a description."""
    own = build_canonical_catalog(restaurant)
    if own.products:
        return own, f"the restaurant's catalog ({len(own.products)} products)"
    return small_catalog(restaurant.currency), "a 2-product sample catalog"


def small_catalog(currency: str) -> CanonicalCatalog:
    return CanonicalCatalog(
        currency=currency,
        menus=(
            CatalogMenu(
                ref="validation-menu",
                name="Validation menu",
                sections=(
                    CatalogSection(ref="validation-section", name="Mains", product_skus=("VAL-PIZZA", "VAL-WATER")),
                ),
            ),
        ),
        products=(
            CatalogProduct(
                sku="VAL-PIZZA",
                name="Validation pizza",
                price=Decimal("10.00"),
                vat_rate=Decimal("10"),
                variants=(CatalogVariant(sku="VAL-PIZZA-L", name="Large", price=Decimal("13.00")),),
                option_category_refs=("validation-extras",),
            ),
            CatalogProduct(sku="VAL-WATER", name="Water", price=Decimal("1.50"), vat_rate=Decimal("10")),
        ),
        option_categories=(
            CatalogOptionCategory(
                ref="validation-extras",
                name="Extras",
                max_selections=2,
                options=(CatalogOption(sku="VAL-CHEESE", name="Extra cheese", price=Decimal("1.00"),
                                       vat_rate=Decimal("10")),),
            ),
        ),
    )
