"""Replacing or patching the restaurant's catalog from the POS, then publishing it to every channel.

The POS owns the menu; Sinqro keeps a copy in its catalog tables (what channels
are published from). A replace makes the tables match the body exactly:
entries keep their rows (and ids) when their SKU/ref survives, new ones are
created, the rest deleted. The change and the publish jobs commit together.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from canonical import CanonicalCatalog, CatalogMenu, MenuKind
from catalog.models import Menu, Option, OptionCategory, Product, ProductOptionCategory, Section, SectionItem, Variant
from integrations.models import SyncJob
from integrations.outbound.services import publish_catalog
from restaurants.models import Restaurant


@dataclass(frozen=True)
class CatalogReplaced:
    products: int
    option_categories: int
    menus: int
    publishing: list[SyncJob]


@transaction.atomic
def replace_catalog(restaurant: Restaurant, catalog: CanonicalCatalog) -> CatalogReplaced:
    categories = _replace_option_categories(restaurant, catalog)
    products = _replace_products(restaurant, catalog, categories)
    _replace_menus(restaurant, catalog.menus, products)
    jobs = publish_catalog(restaurant)
    return CatalogReplaced(len(products), len(categories), len(catalog.menus), jobs)


def _replace_option_categories(restaurant: Restaurant, catalog: CanonicalCatalog) -> dict[str, OptionCategory]:
    refs = [category.ref for category in catalog.option_categories]
    OptionCategory.objects.filter(restaurant=restaurant).exclude(ref__in=refs).delete()
    # Options are matched within their category; free every SKU that moves or goes first (unique per table).
    kept_skus = {option.sku for category in catalog.option_categories for option in category.options}
    Option.objects.filter(category__restaurant=restaurant).exclude(sku__in=kept_skus).delete()
    rows: dict[str, OptionCategory] = {}
    for position, category in enumerate(catalog.option_categories):
        row, _ = OptionCategory.objects.update_or_create(
            restaurant=restaurant,
            ref=category.ref,
            defaults={
                "name": category.name,
                "min_selections": category.min_selections,
                "max_selections": category.max_selections,
                "max_per_option": category.max_per_option,
                "position": position,
            },
        )
        skus = [option.sku for option in category.options]
        Option.objects.filter(category__restaurant=restaurant, sku__in=skus).exclude(category=row).delete()
        row.options.exclude(sku__in=skus).delete()
        for option_position, option in enumerate(category.options):
            Option.objects.update_or_create(
                category=row,
                sku=option.sku,
                defaults={
                    "name": option.name,
                    "price": option.price,
                    "vat_rate": Decimal(option.vat_rate),
                    "available": option.available,
                    "position": option_position,
                },
            )
        rows[category.ref] = row
    return rows


def _replace_products(
    restaurant: Restaurant, catalog: CanonicalCatalog, categories: dict[str, OptionCategory]
) -> dict[str, Product]:
    skus = [product.sku for product in catalog.products]
    Product.objects.filter(restaurant=restaurant).exclude(sku__in=skus).delete()
    rows: dict[str, Product] = {}
    for position, product in enumerate(catalog.products):
        row, _ = Product.objects.update_or_create(
            restaurant=restaurant,
            sku=product.sku,
            defaults={
                "name": product.name,
                "description": product.description,
                "price": product.price,
                "vat_rate": Decimal(product.vat_rate),
                "available": product.available,
                "image_url": product.image_url,
                "position": position,
            },
        )
        variant_skus = [variant.sku for variant in product.variants]
        Variant.objects.filter(product__restaurant=restaurant, sku__in=variant_skus).exclude(product=row).delete()
        row.variants.exclude(sku__in=variant_skus).delete()
        for variant_position, variant in enumerate(product.variants):
            Variant.objects.update_or_create(
                product=row,
                sku=variant.sku,
                defaults={
                    "name": variant.name,
                    "price": variant.price,
                    "available": variant.available,
                    "position": variant_position,
                },
            )
        row.option_category_links.all().delete()
        ProductOptionCategory.objects.bulk_create(
            ProductOptionCategory(product=row, category=categories[ref], position=link_position)
            for link_position, ref in enumerate(product.option_category_refs)
        )
        rows[product.sku] = row
    return rows


def _replace_menus(restaurant: Restaurant, menus: tuple[CatalogMenu, ...], products: dict[str, Product]) -> None:
    existing = {f"menu-{menu.pk}": menu for menu in Menu.objects.filter(restaurant=restaurant)}
    by_name = {menu.name: menu for menu in existing.values()}
    kept: list[Menu] = []
    for position, menu in enumerate(menus):
        row = existing.get(menu.ref) or by_name.get(menu.name)
        if row is None or row in kept:
            row = Menu(restaurant=restaurant)
        row.name = menu.name
        row.kind = Menu.Kind.SET_MENU if menu.kind == MenuKind.SET_MENU else Menu.Kind.REGULAR
        row.set_price = menu.set_price
        row.active = True
        row.position = position
        kept.append(row)
    Menu.objects.filter(restaurant=restaurant).exclude(pk__in=[row.pk for row in kept if row.pk]).delete()
    # Free names first: a rename that swaps two menus' names must not trip the unique constraint.
    for row in kept:
        if row.pk:
            Menu.objects.filter(pk=row.pk).update(name=f"~{row.pk}")
    for row, menu in zip(kept, menus, strict=True):
        row.save()
        _replace_sections(row, menu, products)


def _replace_sections(menu_row: Menu, menu: CatalogMenu, products: dict[str, Product]) -> None:
    existing = {f"section-{section.pk}": section for section in menu_row.sections.all()}
    by_name = {section.name: section for section in existing.values()}
    kept = []
    for section in menu.sections:
        row = existing.get(section.ref) or by_name.get(section.name)
        kept.append(row if row is not None and row not in kept else Section(menu=menu_row))
    menu_row.sections.exclude(pk__in=[row.pk for row in kept if row.pk]).delete()
    for row in kept:
        if row.pk:
            Section.objects.filter(pk=row.pk).update(name=f"~{row.pk}")
    for position, (row, section) in enumerate(zip(kept, menu.sections, strict=True)):
        row.name, row.description, row.position = section.name, section.description, position
        row.save()
        row.items.all().delete()
        SectionItem.objects.bulk_create(
            SectionItem(section=row, product=products[sku], position=item_position)
            for item_position, sku in enumerate(section.product_skus)
        )
