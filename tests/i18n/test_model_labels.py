"""The admin labels of our models in Spanish and English, without a migration."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation

from catalog.models import Product
from orders.models import Order
from restaurants.models import Restaurant, RestaurantMember
from sinqro_platform.languages.derived_names import derived_names
from sinqro_platform.languages.derived_words import WORDS
from sinqro_platform.languages.models import UserLanguage


def test_every_derived_name_is_in_the_catalogue_list():
    missing = sorted(derived_names() - set(WORDS))
    assert not missing, (
        "names Django derives for our models that sinqro_platform/languages/derived_words.py does not list "
        f"(add them, then makemessages and their Spanish): {missing}"
    )


def test_declared_and_derived_labels_switch_language():
    with translation.override("es"):
        assert str(Order._meta.verbose_name_plural) == "pedidos"
        assert str(Order._meta.get_field("placed_at").verbose_name) == "realizado el"
        assert str(Order._meta.get_field("scheduled_for").help_text) == "Vacío: lo antes posible"
        assert str(Restaurant._meta.get_field("timezone").help_text) == "Nombre IANA, p. ej. Europe/Madrid"
        assert str(RestaurantMember.Role.MANAGER.label) == "Encargado"
        assert str(Product._meta.get_field("snoozed_until").verbose_name) == "agotado hasta"
    with translation.override("en"):
        assert str(Order._meta.verbose_name_plural) == "orders"
        assert str(Order._meta.get_field("placed_at").verbose_name) == "placed at"
        assert str(Restaurant._meta.get_field("timezone").help_text) == "IANA name, e.g. Europe/Madrid"
        assert str(RestaurantMember.Role.MANAGER.label) == "Manager"


@pytest.mark.django_db
def test_the_admin_form_speaks_the_users_language(admin_client, admin_user):
    english = admin_client.get("/admin/restaurants/restaurant/add/").content.decode()
    assert "Timezone" in english and "IANA name, e.g. Europe/Madrid" in english
    UserLanguage.objects.create(user=admin_user, language="es")
    admin_client.post("/i18n/setlang/", {"language": "es", "next": "/admin/"})
    spanish = admin_client.get("/admin/restaurants/restaurant/add/").content.decode()
    assert "Zona horaria" in spanish and "Nombre IANA, p. ej. Europe/Madrid" in spanish


@pytest.mark.django_db
def test_the_labels_need_no_migration():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)  # SystemExit(1) if a model changed
    assert "No changes detected" in out.getvalue()


def test_choice_labels_from_the_canonical_vocabulary_switch_language():
    status = Order._meta.get_field("status")
    with translation.override("es"):
        assert dict(status.flatchoices)["accepted"] == "Aceptado"
    with translation.override("en"):
        assert dict(status.flatchoices)["accepted"] == "Accepted"
