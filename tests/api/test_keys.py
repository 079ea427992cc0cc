"""API keys: shown once, stored hashed, revocable, scoped; created by command or in admin."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from api.keys import create_api_key, find_active_key, hash_key
from api.models import ApiKey
from tests.factories.restaurants import RestaurantFactory, UserFactory

from .conftest import client_with

pytestmark = pytest.mark.django_db


def test_the_command_prints_the_key_once_and_stores_only_its_hash(pos):
    out, err = io.StringIO(), io.StringIO()
    call_command("create_api_key", "casa-lucia", "--name", "Till 2", stdout=out, stderr=err)

    key = out.getvalue().strip()
    row = ApiKey.objects.get(name="Till 2")
    assert key.startswith("sq_" + row.prefix)
    assert row.key_hash == hash_key(key) and key not in row.key_hash
    assert "not be shown again" in err.getvalue()
    assert find_active_key(key) == row
    assert list(row.restaurants.all()) == [pos.restaurant]


def test_the_command_refuses_an_unknown_restaurant(db):
    with pytest.raises(CommandError, match="no-such"):
        call_command("create_api_key", "no-such", "--name", "x", stdout=io.StringIO())


def test_a_key_can_serve_several_restaurants(db):
    first, second = RestaurantFactory(), RestaurantFactory()
    _, key = create_api_key([first, second], "Group POS")
    assert len(client_with(key).get("/api/v1/restaurants").json()) == 2


def test_admin_add_shows_the_key_once_on_its_page_never_in_a_cookie_and_revoke_stops_it(client, pos):
    import re

    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)

    response = client.post("/admin/api/apikey/add/", {"name": "Till 3", "restaurants": [pos.restaurant.pk]})

    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    key = re.search(r'<code id="new-api-key"[^>]*>([^<]+)</code>', response.content.decode()).group(1)
    row = ApiKey.objects.get(name="Till 3")
    assert find_active_key(key) == row and row.created_by == admin
    for cookie in response.cookies.values():  # Django's messages travel in a cookie: the key must not
        assert key not in cookie.value and row.prefix not in cookie.value
    after = client.get(f"/admin/api/apikey/{row.pk}/change/")
    assert key not in after.content.decode()
    assert not [m for m in after.context["messages"] if key in str(m)]

    client.post("/admin/api/apikey/", {"action": "revoke_keys", "_selected_action": [row.pk]})
    assert find_active_key(key) is None
    assert client_with(key).get("/api/v1/orders").status_code == 401
