"""Factories for the catalog app: one per model, prices as Decimal."""

from __future__ import annotations

from decimal import Decimal

import factory

from catalog.models import Menu, Option, OptionCategory, Product, ProductOptionCategory, Section, SectionItem, Variant
from tests.factories.restaurants import RestaurantFactory


class MenuFactory(factory.django.DjangoModelFactory):
    """A regular menu; pass ``kind=Menu.Kind.SET_MENU, set_price=Decimal(...)`` for a set menu."""

    class Meta:
        model = Menu

    restaurant = factory.SubFactory(RestaurantFactory)
    name = factory.Sequence(lambda n: f"Carta {n}")
    kind = Menu.Kind.REGULAR
    set_price = None
    active = True
    position = factory.Sequence(int)


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    menu = factory.SubFactory(MenuFactory)
    name = factory.Sequence(lambda n: f"Sección {n}")
    description = ""
    position = factory.Sequence(int)


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    restaurant = factory.SubFactory(RestaurantFactory)
    sku = factory.Sequence(lambda n: f"PRD-{n:04d}")
    name = factory.Sequence(lambda n: f"Plato {n}")
    description = "Receta de la casa."
    price = Decimal("9.50")
    vat_rate = Decimal("10.00")
    available = True
    snoozed_until = None
    image_url = ""
    position = factory.Sequence(int)


class SectionItemFactory(factory.django.DjangoModelFactory):
    """A product placed in a section of the same restaurant's menu."""

    class Meta:
        model = SectionItem

    section = factory.SubFactory(SectionFactory)
    product = factory.SubFactory(ProductFactory, restaurant=factory.SelfAttribute("..section.menu.restaurant"))
    position = factory.Sequence(int)


class VariantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Variant

    product = factory.SubFactory(ProductFactory)
    sku = factory.Sequence(lambda n: f"VAR-{n:04d}")
    name = "Familiar"
    price = Decimal("14.50")
    available = True
    position = factory.Sequence(int)


class OptionCategoryFactory(factory.django.DjangoModelFactory):
    """An optional category: choose up to 3, each at most once."""

    class Meta:
        model = OptionCategory

    restaurant = factory.SubFactory(RestaurantFactory)
    ref = factory.Sequence(lambda n: f"categoria-{n}")
    name = factory.Sequence(lambda n: f"Extras {n}")
    min_selections = 0
    max_selections = 3
    max_per_option = 1
    position = factory.Sequence(int)


class ProductOptionCategoryFactory(factory.django.DjangoModelFactory):
    """Links a product to a category of the same restaurant."""

    class Meta:
        model = ProductOptionCategory

    product = factory.SubFactory(ProductFactory)
    category = factory.SubFactory(OptionCategoryFactory, restaurant=factory.SelfAttribute("..product.restaurant"))
    position = factory.Sequence(int)


class OptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Option

    category = factory.SubFactory(OptionCategoryFactory)
    sku = factory.Sequence(lambda n: f"OPT-{n:04d}")
    name = factory.Sequence(lambda n: f"Extra {n}")
    price = Decimal("1.50")
    vat_rate = Decimal("10.00")
    available = True
    snoozed_until = None
    position = factory.Sequence(int)
