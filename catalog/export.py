"""The restaurant's catalog as a ``CanonicalCatalog``, built with a fixed number of queries.

Channel modules publish canonical catalogs; this is the one place that reads
the catalog tables for that. Every relation is prefetched, so the number of
queries does not grow with the number of menus, products or options (a
restaurant with 500 products publishes as cheaply as one with 5). Rows are
read as tuples and grouped here rather than through ``prefetch_related``:
with 5,000 products and 15,000 variants, model instances and Django's
per-object prefetch caches cost three quarters of the build (bench 3).

References: products, variants and options use their SKU; option categories
their ``ref``; menus and sections, which have no reference of their own, use
``menu-<id>`` / ``section-<id>`` (stable across renames).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.utils import timezone

from canonical import (
    CanonicalCatalog,
    CatalogMenu,
    CatalogOption,
    CatalogOptionCategory,
    CatalogProduct,
    CatalogSection,
    CatalogVariant,
    MenuKind,
    ServiceType,
    WeeklyRange,
)
from catalog.models import Menu, Option, OptionCategory, Product, ProductOptionCategory, Section, SectionItem, Variant
from catalog.models.base import is_open_for_sale
from restaurants.models import Restaurant


def build_canonical_catalog(restaurant: Restaurant, at: datetime | None = None) -> CanonicalCatalog:
    """Active menus, every product and option category of ``restaurant``; availability as of ``at``."""
    at = at or timezone.now()
    return CanonicalCatalog(
        currency=restaurant.currency,
        menus=_menus(restaurant),
        products=_products(restaurant, at),
        option_categories=_categories(restaurant, at),
        hours=_hours(restaurant),
    )


def _hours(restaurant: Restaurant) -> tuple[WeeklyRange, ...]:
    """The weekly ranges, in the restaurant's own time (one query)."""
    rows = restaurant.schedule_ranges.order_by("start_day", "start_time", "id").values_list(
        "start_day", "end_day", "start_time", "end_time", "service_type"
    )
    return tuple(
        WeeklyRange(start_day=start_day, end_day=end_day, start_time=start, end_time=end,
                    service_type=ServiceType(service) if service else None)
        for start_day, end_day, start, end, service in rows
    )


def _grouped(rows, key_index: int = 0) -> dict[int, list[tuple]]:
    """Rows grouped by the parent id in column ``key_index``, keeping their order."""
    groups: dict[int, list[tuple]] = defaultdict(list)
    for row in rows:
        groups[row[key_index]].append(row)
    return groups


def _menus(restaurant: Restaurant) -> tuple[CatalogMenu, ...]:
    menus = list(Menu.objects.filter(restaurant=restaurant, active=True).values_list("pk", "name", "kind", "set_price"))
    menu_ids = [menu[0] for menu in menus]
    sections = _grouped(
        Section.objects.filter(menu_id__in=menu_ids)
        .order_by("menu_id", "position", "id")
        .values_list("menu_id", "pk", "name", "description")
    )
    items = _grouped(
        SectionItem.objects.filter(section__menu_id__in=menu_ids)
        .order_by("section_id", "position", "id")
        .values_list("section_id", "product__sku")
    )
    return tuple(
        CatalogMenu(
            ref=f"menu-{pk}",
            name=name,
            kind=MenuKind.SET_MENU if kind == Menu.Kind.SET_MENU else MenuKind.REGULAR,
            set_price=set_price,
            sections=tuple(
                CatalogSection(
                    ref=f"section-{section_pk}",
                    name=section_name,
                    description=description,
                    product_skus=tuple(sku for _, sku in items.get(section_pk, ())),
                )
                for _, section_pk, section_name, description in sections.get(pk, ())
            ),
        )
        for pk, name, kind, set_price in menus
    )


def _products(restaurant: Restaurant, at: datetime) -> tuple[CatalogProduct, ...]:
    products = Product.objects.filter(restaurant=restaurant).values_list(
        "pk", "sku", "name", "description", "price", "vat_rate", "available", "snoozed_until", "image_url"
    )
    variants = _grouped(
        Variant.objects.filter(product__restaurant=restaurant)
        .order_by("product_id", "position", "id")
        .values_list("product_id", "sku", "name", "price", "available")
    )
    links = _grouped(
        ProductOptionCategory.objects.filter(product__restaurant=restaurant)
        .order_by("product_id", "position", "id")
        .values_list("product_id", "category__ref")
    )
    return tuple(
        CatalogProduct(
            sku=sku,
            name=name,
            description=description,
            price=price,
            vat_rate=vat_rate,
            available=is_open_for_sale(available, snoozed_until, at),
            image_url=image_url,
            variants=tuple(
                CatalogVariant(sku=v_sku, name=v_name, price=v_price, available=v_available)
                for _, v_sku, v_name, v_price, v_available in variants.get(pk, ())
            ),
            option_category_refs=tuple(ref for _, ref in links.get(pk, ())),
        )
        for pk, sku, name, description, price, vat_rate, available, snoozed_until, image_url in products
    )


def _categories(restaurant: Restaurant, at: datetime) -> tuple[CatalogOptionCategory, ...]:
    categories = OptionCategory.objects.filter(restaurant=restaurant).values_list(
        "pk", "ref", "name", "min_selections", "max_selections", "max_per_option"
    )
    options = _grouped(
        Option.objects.filter(category__restaurant=restaurant)
        .order_by("category_id", "position", "id")
        .values_list("category_id", "sku", "name", "price", "vat_rate", "available", "snoozed_until")
    )
    return tuple(
        CatalogOptionCategory(
            ref=ref,
            name=name,
            min_selections=min_selections,
            max_selections=max_selections,
            max_per_option=max_per_option,
            options=tuple(
                CatalogOption(
                    sku=o_sku,
                    name=o_name,
                    price=o_price,
                    vat_rate=o_vat_rate,
                    available=is_open_for_sale(o_available, o_snoozed_until, at),
                )
                for _, o_sku, o_name, o_price, o_vat_rate, o_available, o_snoozed_until in options.get(pk, ())
            ),
        )
        for pk, ref, name, min_selections, max_selections, max_per_option in categories
    )
