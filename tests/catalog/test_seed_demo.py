"""`manage.py seed_demo`: Casa Lucía's catalog and logins, created once however often it runs."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command

from catalog import demo_menu
from catalog.models import Menu, Option, OptionCategory, Product, Variant
from restaurants.models import Restaurant, RestaurantMember

pytestmark = pytest.mark.django_db


def run_seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def catalog_row_counts() -> dict[str, int]:
    counted = [*apps.get_app_config("catalog").get_models(), Restaurant, RestaurantMember, get_user_model()]
    return {model.__name__: model.objects.count() for model in counted}


def test_seed_demo_creates_casa_lucia_with_a_full_menu(monkeypatch):
    # given a known admin password in the environment
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "paella-los-domingos")
    # when the demo is seeded
    output = run_seed()
    # then Casa Lucía sells in EUR from Madrid
    restaurant = Restaurant.objects.get(slug="casa-lucia")
    assert (restaurant.name, restaurant.timezone, restaurant.currency) == ("Casa Lucía", "Europe/Madrid", "EUR")
    # and has a regular carta and a fixed-price menú del día
    menus = {menu.name: menu for menu in Menu.objects.filter(restaurant=restaurant)}
    assert menus["Carta"].kind == Menu.Kind.REGULAR
    assert menus["Menú del día"].kind == Menu.Kind.SET_MENU
    assert menus["Menú del día"].set_price == Decimal("14.50")
    sections = set(menus["Carta"].sections.values_list("name", flat=True))
    assert {"Entrantes", "Tapas", "Pizzas", "Principales", "Postres", "Bebidas"} <= sections
    # and at least 30 products, with variants and options
    assert Product.objects.filter(restaurant=restaurant).count() >= 30
    assert Variant.objects.filter(product__restaurant=restaurant, product__sku="PIZ-MARG").count() == 2
    assert Option.objects.filter(category__restaurant=restaurant).count() >= 20
    toppings = OptionCategory.objects.get(restaurant=restaurant, ref="extra-toppings")
    assert (toppings.min_selections, toppings.max_selections, toppings.max_per_option) == (0, 5, 2)
    assert OptionCategory.objects.get(restaurant=restaurant, ref="salsa").required
    assert Product.objects.get(restaurant=restaurant, sku="PRI-ENTR").option_categories.filter(
        ref="punto-carne"
    ).exists()
    # and VAT is 21 % on alcohol, 10 % on food
    assert Product.objects.get(restaurant=restaurant, sku="BEB-CERV").vat_rate == Decimal("21.00")
    assert Product.objects.get(restaurant=restaurant, sku="PIZ-MARG").vat_rate == Decimal("10.00")
    # and the logins are printed with the admin URL
    assert "admin / paella-los-domingos" in output
    assert "http://127.0.0.1:8000/admin/" in output


def test_seed_demo_creates_the_superuser_and_the_manager():
    # when seeded without passwords in the environment
    output = run_seed()
    # then admin is a superuser, lucia manages Casa Lucía, both with generated passwords that work
    user_model = get_user_model()
    admin = user_model.objects.get(username="admin")
    lucia = user_model.objects.get(username="lucia")
    assert admin.is_superuser and admin.is_staff
    membership = RestaurantMember.objects.get(user=lucia)
    assert (membership.restaurant.slug, membership.role) == ("casa-lucia", RestaurantMember.Role.MANAGER)
    for user in (admin, lucia):
        printed = next(line for line in output.splitlines() if line.strip().startswith(f"{user.username} / "))
        password = printed.split(" / ", 1)[1].split()[0]
        assert user.check_password(password)


def test_seed_demo_twice_changes_nothing_and_keeps_existing_passwords(monkeypatch):
    # given a seeded demo
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "first-password-1")
    run_seed()
    before = catalog_row_counts()
    # when seeded again without a password in the environment
    monkeypatch.delenv("DEMO_ADMIN_PASSWORD")
    output = run_seed()
    # then no row was added, no password reset, and the output says how to get one
    # (DEMO_ADMIN_PASSWORD set on a later run applies: tests/smaller/test_demo.py)
    assert catalog_row_counts() == before
    assert get_user_model().objects.get(username="admin").check_password("first-password-1")
    assert "admin: password unchanged" in output
    assert "lucia: password unchanged" in output
    assert "first-password-1" not in output
    assert "nothing created" in output


def test_seed_demo_does_not_overwrite_what_staff_edited():
    # given a seeded demo where staff raised a price
    run_seed()
    Product.objects.filter(sku="ENT-CROQ").update(price=Decimal("9.00"))
    # when seeded again
    run_seed()
    # then the edit stays
    assert Product.objects.get(sku="ENT-CROQ").price == Decimal("9.00")


def test_every_seeded_row_passes_model_validation():
    # when seeded
    run_seed()
    # then every catalog row is valid, including one SKU namespace across products, variants and options
    for model in apps.get_app_config("catalog").get_models():
        for row in model.objects.all():
            row.full_clean()


def test_demo_menu_data_uses_no_float():
    def walk(value):
        if isinstance(value, dict):
            for item in value.values():
                yield from walk(item)
        elif isinstance(value, list | tuple):
            for item in value:
                yield from walk(item)
        else:
            yield value

    values = list(walk([demo_menu.RESTAURANT, demo_menu.OPTION_CATEGORIES, demo_menu.PRODUCTS, demo_menu.MENUS]))
    assert not [value for value in values if isinstance(value, float)]
    assert any(isinstance(value, Decimal) for value in values)
