"""The POS fixtures of the API tests (a restaurant, its connection, a key, an order)."""

from tests.api.conftest import order, other_pos, pos  # noqa: F401
