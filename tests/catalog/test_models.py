"""Catalog rules: selection bounds, set menu prices, Decimal money, one SKU per restaurant."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from catalog.models import Menu, Option, Product, Variant
from tests.factories.catalog import (
    MenuFactory,
    OptionCategoryFactory,
    OptionFactory,
    ProductFactory,
    ProductOptionCategoryFactory,
    SectionFactory,
    SectionItemFactory,
    VariantFactory,
)
from tests.factories.restaurants import RestaurantFactory

pytestmark = pytest.mark.django_db


# --- option category bounds ---------------------------------------------------


@pytest.mark.parametrize(("minimum", "maximum", "per_option"), [(0, 0, 1), (0, 5, 2), (1, 1, 1), (2, 3, 3)])
def test_option_category_accepts_bounds_within_rules(minimum, maximum, per_option):
    # given a category with 0 <= min <= max and max_per_option >= 1
    category = OptionCategoryFactory.build(
        restaurant=RestaurantFactory(), min_selections=minimum, max_selections=maximum, max_per_option=per_option
    )
    # when validated and saved / then nothing complains
    category.full_clean()
    category.save()


def test_option_category_rejects_min_above_max_in_validation():
    # given a category asking for at least 2 of at most 1
    category = OptionCategoryFactory.build(restaurant=RestaurantFactory(), min_selections=2, max_selections=1)
    # when validated / then the admin-facing error explains the bound
    with pytest.raises(ValidationError, match="Minimum selections must be between 0 and the maximum"):
        category.full_clean()


def test_option_category_rejects_min_above_max_in_the_database():
    # given a category bypassing validation
    # when saved / then the database constraint refuses it
    with pytest.raises(IntegrityError), transaction.atomic():
        OptionCategoryFactory(min_selections=3, max_selections=2)


def test_option_category_rejects_zero_max_per_option():
    category = OptionCategoryFactory.build(restaurant=RestaurantFactory(), max_per_option=0)
    with pytest.raises(ValidationError) as excinfo:
        category.full_clean()
    assert "max_per_option" in excinfo.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        category.save()


def test_option_category_is_required_when_it_has_a_minimum():
    assert OptionCategoryFactory.build(min_selections=1, max_selections=1).required
    assert not OptionCategoryFactory.build(min_selections=0, max_selections=5).required


def test_option_category_ref_is_unique_per_restaurant_only():
    # given a category "salsa" in one restaurant
    first = OptionCategoryFactory(ref="salsa")
    # when another restaurant uses the same ref / then that is fine
    OptionCategoryFactory(ref="salsa")
    # when the same restaurant does / then the database refuses
    with pytest.raises(IntegrityError), transaction.atomic():
        OptionCategoryFactory(ref="salsa", restaurant=first.restaurant)


def test_product_may_only_offer_its_own_restaurants_categories():
    # given a product and a category of another restaurant
    link = ProductOptionCategoryFactory.build(product=ProductFactory(), category=OptionCategoryFactory())
    # when validated / then the link is refused
    with pytest.raises(ValidationError) as excinfo:
        link.full_clean()
    assert "category" in excinfo.value.message_dict


# --- set menu price -----------------------------------------------------------


def test_set_menu_requires_a_set_price():
    menu = MenuFactory.build(restaurant=RestaurantFactory(), kind=Menu.Kind.SET_MENU, set_price=None)
    with pytest.raises(ValidationError, match="A set menu needs a set price"):
        menu.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        menu.save()


def test_regular_menu_has_no_set_price():
    menu = MenuFactory.build(restaurant=RestaurantFactory(), kind=Menu.Kind.REGULAR, set_price=Decimal("12.00"))
    with pytest.raises(ValidationError, match="regular menu has none"):
        menu.full_clean()


def test_set_menu_with_a_price_is_valid_and_priced_in_the_restaurants_currency():
    # given a set menu at 14.50 in a restaurant selling in EUR
    menu = MenuFactory(kind=Menu.Kind.SET_MENU, set_price=Decimal("14.50"), restaurant__currency="EUR")
    # when read back
    menu.refresh_from_db()
    # then the price is an exact Decimal in EUR
    menu.full_clean()
    assert menu.set_price == Decimal("14.50")
    assert isinstance(menu.set_price, Decimal)
    assert menu.currency == "EUR"


# --- Decimal money ------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "field_name"),
    [
        (Menu, "set_price"),
        (Product, "price"),
        (Product, "vat_rate"),
        (Variant, "price"),
        (Option, "price"),
        (Option, "vat_rate"),
    ],
)
def test_money_and_rates_are_decimal_fields_with_two_places(model, field_name):
    field = model._meta.get_field(field_name)
    assert isinstance(field, models.DecimalField)
    assert field.decimal_places == 2


def test_no_float_field_anywhere_in_the_catalog():
    from django.apps import apps

    float_fields = [
        f"{model.__name__}.{field.name}"
        for model in apps.get_app_config("catalog").get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FloatField)
    ]
    assert float_fields == []


def test_prices_round_trip_as_exact_decimals_in_the_restaurants_currency():
    # given a product, a variant and an option priced in GBP
    restaurant = RestaurantFactory(currency="GBP")
    product = ProductFactory(restaurant=restaurant, price=Decimal("0.10"), vat_rate=Decimal("21.00"))
    variant = VariantFactory(product=product, price=Decimal("0.20"))
    option = OptionFactory(category__restaurant=restaurant, price=Decimal("0.70"))
    # when read back from the database
    for item in (product, variant, option):
        item.refresh_from_db()
    # then sums are exact (0.1 + 0.2 is not 0.30000000000000004) and the currency is the restaurant's
    assert product.price + variant.price == Decimal("0.30")
    assert all(isinstance(value, Decimal) for value in (product.price, product.vat_rate, variant.price, option.price))
    assert {product.currency, variant.currency, option.currency} == {"GBP"}
    assert variant.vat_rate == Decimal("21.00")


def test_negative_prices_are_refused():
    with pytest.raises(ValidationError) as excinfo:
        ProductFactory.build(restaurant=RestaurantFactory(), price=Decimal("-1.00")).full_clean()
    assert "price" in excinfo.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        OptionFactory(price=Decimal("-0.50"))


# --- SKU uniqueness -----------------------------------------------------------


def test_product_sku_is_unique_per_restaurant_in_the_database():
    # given a product CROQ in a restaurant
    product = ProductFactory(sku="CROQ")
    # when another restaurant uses CROQ / then that is fine
    ProductFactory(sku="CROQ")
    # when the same restaurant does / then the database refuses
    with pytest.raises(IntegrityError), transaction.atomic():
        ProductFactory(sku="CROQ", restaurant=product.restaurant)


def test_product_sku_duplicate_is_a_field_error_in_validation():
    product = ProductFactory(sku="CROQ")
    duplicate = ProductFactory.build(restaurant=product.restaurant, sku="CROQ")
    with pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()
    assert "sku" in excinfo.value.message_dict


def test_variant_sku_is_unique_per_product_in_the_database():
    variant = VariantFactory(sku="PIZ-M")
    with pytest.raises(IntegrityError), transaction.atomic():
        VariantFactory(product=variant.product, sku="PIZ-M")


def test_sku_is_one_namespace_across_products_variants_and_options():
    # given a restaurant where product PIZ uses variant PIZ-M and option OPT-QUESO exists
    product = ProductFactory(sku="PIZ")
    VariantFactory(product=product, sku="PIZ-M")
    OptionFactory(category__restaurant=product.restaurant, sku="OPT-QUESO")
    other_product = ProductFactory(restaurant=product.restaurant, sku="HAMB")
    # when new entries reuse those references anywhere in the same restaurant
    clashes = [
        VariantFactory.build(product=other_product, sku="PIZ"),
        ProductFactory.build(restaurant=product.restaurant, sku="PIZ-M"),
        OptionFactory.build(category=OptionCategoryFactory(restaurant=product.restaurant), sku="PIZ-M"),
        VariantFactory.build(product=other_product, sku="OPT-QUESO"),
    ]
    # then each is refused with an error on its sku
    for clash in clashes:
        with pytest.raises(ValidationError) as excinfo:
            clash.full_clean()
        assert "sku" in excinfo.value.message_dict


def test_saved_entry_does_not_clash_with_itself_and_other_restaurants_are_independent():
    product = ProductFactory(sku="PIZ")
    product.full_clean()
    VariantFactory.build(product=ProductFactory(), sku="PIZ").full_clean()


# --- placement ------------------------------------------------------------------


def test_a_product_can_sit_in_several_sections_and_menus():
    # given one product and sections in two menus of its restaurant
    product = ProductFactory()
    carta = SectionFactory(menu__restaurant=product.restaurant, name="Tapas")
    menu_del_dia = SectionFactory(menu__restaurant=product.restaurant, name="Primeros")
    # when placed in both
    SectionItemFactory(section=carta, product=product)
    SectionItemFactory(section=menu_del_dia, product=product)
    # then it is listed under both, once each
    assert set(product.sections.all()) == {carta, menu_del_dia}
    with pytest.raises(IntegrityError), transaction.atomic():
        SectionItemFactory(section=carta, product=product)
