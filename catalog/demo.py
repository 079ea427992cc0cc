"""Seed the demo restaurant's catalog from `catalog.demo_menu`.

Every row is looked up by its stable key (slug, SKU, ref, name) and created
only when missing, so running the seed again creates nothing and overwrites
nothing a person may have edited in admin since.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction

from catalog import demo_menu
from catalog.models import Menu, Option, OptionCategory, Product, ProductOptionCategory, Section, SectionItem, Variant
from restaurants.models import Restaurant


@dataclass
class SeedReport:
    """How many rows of each model the seed created (0 everywhere on a second run)."""

    created: Counter = field(default_factory=Counter)

    def count(self, model: type, was_created: bool) -> None:
        if was_created:
            self.created[model.__name__] += 1

    @property
    def total(self) -> int:
        return sum(self.created.values())


def ensure_demo_restaurant() -> tuple[Restaurant, bool]:
    """Get or create Casa Lucía by slug; an existing row is left as staff may have edited it."""
    data = dict(demo_menu.RESTAURANT)
    return Restaurant.objects.get_or_create(slug=data.pop("slug"), defaults=data)


@transaction.atomic
def seed_demo_catalog(restaurant: Restaurant) -> SeedReport:
    """Create the demo catalog for `restaurant` where missing; idempotent."""
    report = SeedReport()
    categories = _seed_option_categories(restaurant, report)
    products = _seed_products(restaurant, categories, report)
    _seed_menus(restaurant, products, report)
    return report


def _seed_option_categories(restaurant: Restaurant, report: SeedReport) -> dict[str, OptionCategory]:
    categories: dict[str, OptionCategory] = {}
    for position, data in enumerate(demo_menu.OPTION_CATEGORIES):
        category, created = OptionCategory.objects.get_or_create(
            restaurant=restaurant,
            ref=data["ref"],
            defaults={
                "name": data["name"],
                "min_selections": data["min"],
                "max_selections": data["max"],
                "max_per_option": data["max_per_option"],
                "position": position,
            },
        )
        report.count(OptionCategory, created)
        for option_position, (sku, name, price, vat_rate) in enumerate(data["options"]):
            _, created = Option.objects.get_or_create(
                category=category,
                sku=sku,
                defaults={"name": name, "price": price, "vat_rate": vat_rate, "position": option_position},
            )
            report.count(Option, created)
        categories[category.ref] = category
    return categories


def _seed_products(
    restaurant: Restaurant, categories: dict[str, OptionCategory], report: SeedReport
) -> dict[str, Product]:
    products: dict[str, Product] = {}
    for position, data in enumerate(demo_menu.PRODUCTS):
        product, created = Product.objects.get_or_create(
            restaurant=restaurant,
            sku=data["sku"],
            defaults={
                "name": data["name"],
                "description": data["description"],
                "price": data["price"],
                "vat_rate": data["vat_rate"],
                "position": position,
            },
        )
        report.count(Product, created)
        for variant_position, (sku, name, price) in enumerate(data["variants"]):
            _, created = Variant.objects.get_or_create(
                product=product, sku=sku, defaults={"name": name, "price": price, "position": variant_position}
            )
            report.count(Variant, created)
        for link_position, ref in enumerate(data["option_categories"]):
            _, created = ProductOptionCategory.objects.get_or_create(
                product=product, category=categories[ref], defaults={"position": link_position}
            )
            report.count(ProductOptionCategory, created)
        products[product.sku] = product
    return products


def _seed_menus(restaurant: Restaurant, products: dict[str, Product], report: SeedReport) -> None:
    for position, data in enumerate(demo_menu.MENUS):
        menu, created = Menu.objects.get_or_create(
            restaurant=restaurant,
            name=data["name"],
            defaults={"kind": data["kind"], "set_price": data["set_price"], "position": position},
        )
        report.count(Menu, created)
        for section_position, (name, description, skus) in enumerate(data["sections"]):
            section, created = Section.objects.get_or_create(
                menu=menu, name=name, defaults={"description": description, "position": section_position}
            )
            report.count(Section, created)
            for item_position, sku in enumerate(skus):
                _, created = SectionItem.objects.get_or_create(
                    section=section, product=products[sku], defaults={"position": item_position}
                )
                report.count(SectionItem, created)
