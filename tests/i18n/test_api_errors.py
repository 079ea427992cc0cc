"""The POS API answers its errors in the caller's language (Accept-Language), else in its restaurant's."""

from __future__ import annotations

import pytest

from api.keys import create_api_key
from sinqro_platform.languages.models import RestaurantLanguage
from tests.api.conftest import client_with
from tests.factories.restaurants import RestaurantFactory

pytestmark = pytest.mark.django_db


def exception_error(pos, **headers) -> str:
    response = pos.client.post(
        f"/api/v1/restaurants/{pos.restaurant.pk}/availability/exceptions",
        {"starts_at": "2030-01-02T00:00:00Z", "expires_at": "2030-01-01T00:00:00Z", "kind": "closed"},
        format="json", **headers,
    )
    assert response.status_code == 400
    return response.json()["error"]["fields"]["expires_at"][0]


def test_english_by_default(pos):
    assert exception_error(pos) == "Must be after starts_at."


def test_spanish_when_the_pos_asks_for_it(pos):
    assert exception_error(pos, HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9") == "Debe ser posterior a starts_at."
    assert exception_error(pos, HTTP_ACCEPT_LANGUAGE="en") == "Must be after starts_at."


def test_the_restaurants_language_without_a_header(pos):
    RestaurantLanguage.objects.create(restaurant=pos.restaurant, language="es")
    assert exception_error(pos) == "Debe ser posterior a starts_at."
    # the caller's header still wins
    assert exception_error(pos, HTTP_ACCEPT_LANGUAGE="en") == "Must be after starts_at."


def test_a_key_for_restaurants_of_two_languages_answers_in_the_default(pos):
    RestaurantLanguage.objects.create(restaurant=pos.restaurant, language="es")
    other = RestaurantFactory()
    RestaurantLanguage.objects.create(restaurant=other, language="en")
    _row, key = create_api_key([pos.restaurant, other], "Head office")
    response = client_with(key).post(
        f"/api/v1/restaurants/{pos.restaurant.pk}/availability/exceptions",
        {"starts_at": "2030-01-02T00:00:00Z", "expires_at": "2030-01-01T00:00:00Z", "kind": "closed"},
        format="json",
    )
    assert response.json()["error"]["fields"]["expires_at"][0] == "Must be after starts_at."


def test_authentication_and_unknown_paths_follow_accept_language(pos):
    bad_key = client_with("sk_nothing").get("/api/v1/restaurants", HTTP_ACCEPT_LANGUAGE="es")
    assert bad_key.status_code == 401
    assert bad_key.json()["error"]["message"] == "clave de API no válida o revocada"
    missing = pos.client.get("/api/v1/no-such-thing", HTTP_ACCEPT_LANGUAGE="es")
    assert missing.status_code == 404
    assert missing.json()["error"]["message"].startswith("No hay ninguna operación de la API en esta ruta")


def test_drf_own_messages_are_spanish_too(pos):
    response = pos.client.post(f"/api/v1/restaurants/{pos.restaurant.pk}/availability/pause",
                               {"until": "not a date"}, format="json", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("Datos no válidos: until:")
    assert response["Content-Language"] == "es"
