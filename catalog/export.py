"""The restaurant's catalog as a ``CanonicalCatalog``, built with a fixed number of queries.

Channel modules publish canonical catalogs; this is the one place that reads
the catalog tables for that. Every relation is prefetched, so the number of
queries does not grow with the number of menus, products or options (a
restaurant with 500 products publishes as cheaply as one with 5).

References: products, variants and options use their SKU; option categories
their ``ref``; menus and sections, which have no reference of their own, use
``menu-<id>`` / ``section-<id>`` (stable across renames).
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Prefetch
from django.utils import timezone

from catalog.models import Menu, OptionCategory, Product, ProductOptionCategory, Section, SectionItem
from integrations.canonical import (
    CanonicalCatalog,
    CatalogMenu,
    CatalogOption,
    CatalogOptionCategory,
    CatalogProduct,
    CatalogSection,
    CatalogVariant,
    MenuKind,
)
from restaurants.models import Restaurant


def build_canonical_catalog(restaurant: Restaurant, at: datetime | None = None) -> CanonicalCatalog:
    """Active menus, every product and option category of ``restaurant``; availability as of ``at``."""
    at = at or timezone.now()
    menus = Menu.objects.filter(restaurant=restaurant, active=True).prefetch_related(
        Prefetch(
            "sections",
            queryset=Section.objects.prefetch_related(
                Prefetch(
                    "items",
                    queryset=SectionItem.objects.select_related("product").only(
                        "section_id", "product__sku", "position"
                    ),
                )
            ),
        )
    )
    products = Product.objects.filter(restaurant=restaurant).prefetch_related(
        "variants",
        Prefetch("option_category_links", queryset=ProductOptionCategory.objects.select_related("category")),
    )
    categories = OptionCategory.objects.filter(restaurant=restaurant).prefetch_related("options")
    return CanonicalCatalog(
        currency=restaurant.currency,
        menus=tuple(_menu(menu) for menu in menus),
        products=tuple(_product(product, at) for product in products),
        option_categories=tuple(_category(category, at) for category in categories),
    )


def _menu(menu: Menu) -> CatalogMenu:
    return CatalogMenu(
        ref=f"menu-{menu.pk}",
        name=menu.name,
        kind=MenuKind.SET_MENU if menu.kind == Menu.Kind.SET_MENU else MenuKind.REGULAR,
        set_price=menu.set_price,
        sections=tuple(
            CatalogSection(
                ref=f"section-{section.pk}",
                name=section.name,
                description=section.description,
                product_skus=tuple(item.product.sku for item in section.items.all()),
            )
            for section in menu.sections.all()
        ),
    )


def _product(product: Product, at: datetime) -> CatalogProduct:
    return CatalogProduct(
        sku=product.sku,
        name=product.name,
        description=product.description,
        price=product.price,
        vat_rate=product.vat_rate,
        available=product.is_available(at),
        image_url=product.image_url,
        variants=tuple(
            CatalogVariant(sku=variant.sku, name=variant.name, price=variant.price, available=variant.available)
            for variant in product.variants.all()
        ),
        option_category_refs=tuple(link.category.ref for link in product.option_category_links.all()),
    )


def _category(category: OptionCategory, at: datetime) -> CatalogOptionCategory:
    return CatalogOptionCategory(
        ref=category.ref,
        name=category.name,
        min_selections=category.min_selections,
        max_selections=category.max_selections,
        max_per_option=category.max_per_option,
        options=tuple(
            CatalogOption(
                sku=option.sku,
                name=option.name,
                price=option.price,
                vat_rate=option.vat_rate,
                available=option.is_available(at),
            )
            for option in category.options.all()
        ),
    )
