"""A restaurant with a connection, a key for it, and a second restaurant whose key must not reach the first."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from api.keys import create_api_key
from api.models import ApiKey
from integrations.models import Connection
from restaurants.models import Restaurant
from tests.factories.catalog import OptionCategoryFactory, OptionFactory, ProductFactory, VariantFactory
from tests.factories.integrations import ConnectionFactory
from tests.factories.orders import OptionLineFactory, OrderFactory, OrderLineFactory
from tests.factories.restaurants import RestaurantFactory


@dataclass
class Pos:
    restaurant: Restaurant
    connection: Connection
    api_key: ApiKey
    key: str
    client: APIClient


def client_with(key: str | None) -> APIClient:
    client = APIClient()
    if key is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    return client


@pytest.fixture
def pos(db) -> Pos:
    restaurant = RestaurantFactory(name="Casa Lucía", slug="casa-lucia")
    connection = ConnectionFactory(restaurant=restaurant, store_id="casa-lucia")
    api_key, key = create_api_key([restaurant], "Till 1")
    return Pos(restaurant, connection, api_key, key, client_with(key))


@pytest.fixture
def other_pos(db) -> Pos:
    restaurant = RestaurantFactory(name="Otro Sitio", slug="otro-sitio")
    connection = ConnectionFactory(restaurant=restaurant)
    api_key, key = create_api_key([restaurant], "Other till")
    return Pos(restaurant, connection, api_key, key, client_with(key))


@pytest.fixture
def order(pos):
    """A delivery order from the channel, with a product line that has an option."""
    order = OrderFactory(restaurant=pos.restaurant, connection=pos.connection, channel_order_id="SM-000001")
    line = OrderLineFactory(order=order, sku="PIZ-MARG", name="Margherita")
    OptionLineFactory(order=order, parent=line, sku="OPT-CHEESE")
    return order


@pytest.fixture
def catalog(pos):
    """A product with a variant and an option category, in the key's restaurant."""
    product = ProductFactory(restaurant=pos.restaurant, sku="PIZ-MARG", name="Margherita")
    VariantFactory(product=product, sku="PIZ-MARG-L")
    category = OptionCategoryFactory(restaurant=pos.restaurant, ref="extras")
    OptionFactory(category=category, sku="OPT-CHEESE")
    return product


def error_of(response) -> dict:
    """The error body, after checking it has the one shape every error has."""
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "fields"}, body
    return body["error"]
