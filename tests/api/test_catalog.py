"""The catalog from the POS: replace, patch one item, snooze; each change stored here and queued for channels."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from catalog.models import Menu, Option, OptionCategory, Product, Variant
from integrations.models import SyncJob

from .conftest import error_of

pytestmark = pytest.mark.django_db


def body(**overrides) -> dict:
    catalog = {
        "currency": "EUR",
        "menus": [{"ref": "carta", "name": "Carta", "sections": [
            {"ref": "pizzas", "name": "Pizzas", "product_skus": ["PIZ-MARG", "PIZ-4Q"]},
            {"ref": "bebidas", "name": "Bebidas", "product_skus": ["BEB-CANA"]},
        ]}],
        "products": [
            {"sku": "PIZ-MARG", "name": "Margherita", "price": "11.50", "vat_rate": "10",
             "variants": [{"sku": "PIZ-MARG-L", "name": "Large", "price": "14.00"}],
             "option_category_refs": ["extras"]},
            {"sku": "PIZ-4Q", "name": "Cuatro quesos", "price": "12.50"},
            {"sku": "BEB-CANA", "name": "Caña", "price": "2.50", "vat_rate": "21"},
        ],
        "option_categories": [{"ref": "extras", "name": "Extras", "max_selections": 3, "options": [
            {"sku": "OPT-CHEESE", "name": "Extra cheese", "price": "1.50"}]}],
    }
    catalog.update(overrides)
    return catalog


def put(pos, data):
    return pos.client.put(f"/api/v1/restaurants/{pos.restaurant.pk}/catalog", data, format="json")


def test_replace_stores_the_catalog_and_queues_a_publish(pos):
    response = put(pos, body())

    assert response.status_code == 202, response.content
    assert response.json()["products"] == 3
    assert [job["kind"] for job in response.json()["publishing"]] == ["catalog"]
    assert list(Product.objects.filter(restaurant=pos.restaurant).values_list("sku", flat=True)) == [
        "PIZ-MARG", "PIZ-4Q", "BEB-CANA"]
    assert Variant.objects.get(sku="PIZ-MARG-L").product.sku == "PIZ-MARG"
    assert Product.objects.get(sku="PIZ-MARG").option_categories.get().ref == "extras"
    menu = Menu.objects.get(restaurant=pos.restaurant)
    assert [s.name for s in menu.sections.all()] == ["Pizzas", "Bebidas"]
    job = SyncJob.objects.get(connection=pos.connection)
    assert {p["sku"] for p in job.payload["products"]} == {"PIZ-MARG", "PIZ-4Q", "BEB-CANA"}


def test_replace_again_keeps_surviving_rows_and_removes_the_rest(pos):
    put(pos, body())
    margherita = Product.objects.get(sku="PIZ-MARG")
    menu = Menu.objects.get()

    smaller = body(
        products=[{"sku": "PIZ-MARG", "name": "Margherita", "price": "12.00"}],
        option_categories=[],
        menus=[{"ref": f"menu-{menu.pk}", "name": "La carta", "sections": [
            {"ref": "pizzas", "name": "Pizzas", "product_skus": ["PIZ-MARG"]}]}],
    )
    assert put(pos, smaller).status_code == 202

    assert list(Product.objects.values_list("pk", "price")) == [(margherita.pk, margherita.price.__class__("12.00"))]
    assert not Variant.objects.exists() and not OptionCategory.objects.exists() and not Option.objects.exists()
    assert list(Menu.objects.values_list("pk", "name")) == [(menu.pk, "La carta")]
    assert SyncJob.objects.filter(kind="catalog").count() == 2


def test_the_catalog_reads_back_in_the_same_shape(pos):
    put(pos, body())
    data = pos.client.get(f"/api/v1/restaurants/{pos.restaurant.pk}/catalog").json()
    assert [p["sku"] for p in data["products"]] == ["PIZ-MARG", "PIZ-4Q", "BEB-CANA"]
    assert data["menus"][0]["sections"][0]["product_skus"] == ["PIZ-MARG", "PIZ-4Q"]
    # what comes out goes back in unchanged
    assert put(pos, data).status_code == 202


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"currency": "USD"}, "currency"),
        ({"products": [{"sku": "X", "name": "X", "price": "-1"}]}, "products.0.price"),
        ({"products": [{"sku": "X", "name": "X"}]}, "products.0.price"),
        ({"menus": [{"ref": "m", "name": "M", "kind": "set_menu"}]}, "menus"),
        ({"option_categories": [{"ref": "e", "name": "E", "min_selections": 3, "max_selections": 1}]},
         "non_field_errors"),
    ],
)
def test_invalid_catalogs_are_400_naming_the_field_and_change_nothing(pos, catalog, overrides, field):
    response = put(pos, body(**overrides))
    assert response.status_code == 400
    error = error_of(response)
    assert field in error["fields"] or (field == "non_field_errors" and error["message"])
    assert list(Product.objects.values_list("sku", flat=True)) == ["PIZ-MARG"]
    assert not SyncJob.objects.exists()


def test_a_section_listing_an_unknown_product_is_refused_with_the_reason(pos):
    data = body()
    data["menus"][0]["sections"][0]["product_skus"].append("GHOST")
    response = put(pos, data)
    assert response.status_code == 400
    assert "GHOST" in error_of(response)["message"]


def test_patch_one_item_by_sku(pos, catalog):
    url = f"/api/v1/restaurants/{pos.restaurant.pk}/catalog/items/PIZ-MARG-L"
    response = pos.client.patch(url, {"price": "15.00", "available": False}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["kind"] == "variant"
    variant = Variant.objects.get(sku="PIZ-MARG-L")
    assert str(variant.price) == "15.00" and variant.available is False
    assert SyncJob.objects.get().kind == "catalog"


@pytest.mark.parametrize(("data", "field"), [({}, None), ({"price": "-2"}, "price"), ({"available": "maybe"},
                                                                                       "available")])
def test_patch_validation(pos, catalog, data, field):
    response = pos.client.patch(f"/api/v1/restaurants/{pos.restaurant.pk}/catalog/items/PIZ-MARG", data,
                                format="json")
    assert response.status_code == 400
    if field:
        assert field in error_of(response)["fields"]
    assert not SyncJob.objects.exists()


def test_patch_an_unknown_sku_is_404(pos, catalog):
    response = pos.client.patch(f"/api/v1/restaurants/{pos.restaurant.pk}/catalog/items/NOPE", {"price": "1"},
                                format="json")
    assert response.status_code == 404


def test_snooze_and_unsnooze(pos, catalog):
    url = f"/api/v1/restaurants/{pos.restaurant.pk}/catalog/items/OPT-CHEESE/snooze"
    until = timezone.now() + timedelta(hours=3)

    response = pos.client.post(url, {"until": until.isoformat()}, format="json")
    assert response.status_code == 200, response.content
    assert Option.objects.get(sku="OPT-CHEESE").snoozed_until == until
    assert SyncJob.objects.get().kind == "catalog_items"

    response = pos.client.delete(url)
    assert response.status_code == 200
    assert response.json()["snoozed_until"] is None
    assert Option.objects.get(sku="OPT-CHEESE").snoozed_until is None


@pytest.mark.parametrize(("sku", "until", "field"), [("PIZ-MARG-L", 3, "sku"), ("PIZ-MARG", -3, "until"),
                                                     ("PIZ-MARG", None, "until")])
def test_snooze_validation(pos, catalog, sku, until, field):
    data = {} if until is None else {"until": (timezone.now() + timedelta(hours=until)).isoformat()}
    response = pos.client.post(f"/api/v1/restaurants/{pos.restaurant.pk}/catalog/items/{sku}/snooze", data,
                               format="json")
    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == [field]
    assert not SyncJob.objects.exists()
