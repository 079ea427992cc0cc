"""Catalog admin: every page renders for support staff, inlines included, without N+1 queries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.models import Menu
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

pytestmark = pytest.mark.django_db

FACTORIES = {
    "menu": MenuFactory,
    "section": SectionFactory,
    "sectionitem": SectionItemFactory,
    "product": ProductFactory,
    "variant": VariantFactory,
    "optioncategory": OptionCategoryFactory,
    "productoptioncategory": ProductOptionCategoryFactory,
    "option": OptionFactory,
}


@pytest.mark.parametrize("model_name", FACTORIES)
def test_changelist_add_and_change_pages_render(admin_client, model_name):
    # given one row of the model
    row = FACTORIES[model_name]()
    # when support staff open its list, add and change pages / then each renders
    for url in (
        reverse(f"admin:catalog_{model_name}_changelist"),
        reverse(f"admin:catalog_{model_name}_add"),
        reverse(f"admin:catalog_{model_name}_change", args=[row.pk]),
    ):
        assert admin_client.get(url).status_code == 200, url


@pytest.mark.parametrize("model_name", FACTORIES)
def test_changelist_search_and_filters_render(admin_client, model_name):
    FACTORIES[model_name]()
    url = reverse(f"admin:catalog_{model_name}_changelist")
    assert admin_client.get(url, {"q": "a"}).status_code == 200


@pytest.mark.parametrize("model_name", FACTORIES)
def test_changelist_query_count_does_not_grow_with_rows(admin_client, model_name):
    # given two rows, then six
    url = reverse(f"admin:catalog_{model_name}_changelist")
    FACTORIES[model_name].create_batch(2)
    with CaptureQueriesContext(connection) as few:
        assert admin_client.get(url).status_code == 200
    FACTORIES[model_name].create_batch(4)
    # when the list is shown again / then it costs the same number of queries (no N+1)
    with CaptureQueriesContext(connection) as many:
        assert admin_client.get(url).status_code == 200
    # The restaurant filter lists restaurants once; more restaurants are more rows, not more queries.
    assert len(many) == len(few)


def test_product_change_page_shows_variants_and_option_categories(admin_client):
    # given a pizza with a size and an extras category
    product = ProductFactory(name="Pizza Margarita")
    VariantFactory(product=product, name="Familiar", sku="PIZ-MARG-F")
    ProductOptionCategoryFactory(product=product, category__name="Extra toppings")
    # when its change page is opened
    response = admin_client.get(reverse("admin:catalog_product_change", args=[product.pk]))
    # then both inlines show the rows
    content = response.content.decode()
    assert response.status_code == 200
    assert "PIZ-MARG-F" in content
    assert "Extra toppings" in content
    assert "variants-TOTAL_FORMS" in content
    assert "option_category_links-TOTAL_FORMS" in content


def test_menu_section_and_option_category_pages_show_their_inlines(admin_client):
    # given a set menu with a section holding a product, and a category with an option
    menu = MenuFactory(kind=Menu.Kind.SET_MENU, set_price=Decimal("14.50"))
    section = SectionFactory(menu=menu, name="Primeros")
    SectionItemFactory(section=section, product__name="Gazpacho andaluz")
    option = OptionFactory(name="Alioli", category__name="Elige tu salsa")
    # then each parent page lists its children inline
    pages = {
        reverse("admin:catalog_menu_change", args=[menu.pk]): ["Primeros", "sections-TOTAL_FORMS"],
        reverse("admin:catalog_section_change", args=[section.pk]): ["Gazpacho andaluz", "items-TOTAL_FORMS"],
        reverse("admin:catalog_optioncategory_change", args=[option.category.pk]): ["Alioli", "options-TOTAL_FORMS"],
    }
    for url, expected in pages.items():
        content = admin_client.get(url).content.decode()
        for text in expected:
            assert text in content, (url, text)


def test_admin_refuses_a_duplicate_sku_across_variants(admin_client):
    # given a product PIZ-MARG and another product to edit
    existing = ProductFactory(sku="PIZ-MARG")
    product = ProductFactory(restaurant=existing.restaurant, sku="PIZ-DIAV", price=Decimal("11.50"))
    url = reverse("admin:catalog_product_change", args=[product.pk])
    # when staff add a variant reusing PIZ-MARG
    data = {
        "restaurant": product.restaurant.pk,
        "sku": product.sku,
        "name": product.name,
        "description": "",
        "price": "11.50",
        "vat_rate": "10.00",
        "available": "on",
        "image_url": "",
        "position": "0",
        "variants-TOTAL_FORMS": "1",
        "variants-INITIAL_FORMS": "0",
        "variants-0-sku": "PIZ-MARG",
        "variants-0-name": "Familiar",
        "variants-0-price": "16.50",
        "variants-0-available": "on",
        "variants-0-position": "0",
        "option_category_links-TOTAL_FORMS": "0",
        "option_category_links-INITIAL_FORMS": "0",
    }
    response = admin_client.post(url, data)
    # then the form comes back with the error and nothing is saved
    assert response.status_code == 200
    assert "already used by" in response.content.decode()
    assert not product.variants.exists()
