"""A sandbox connection to the running Sandbox Market whose webhooks reach this test's live server."""

from __future__ import annotations

import pytest

from tests.factories.integrations import ChannelFactory, ConnectionFactory

API_KEY = "mk_validation_KEY_1"
WEBHOOK_SECRET = "whsec_validation_1"
STORE = "val-store"


@pytest.fixture
def sandbox_connection(market, live_server, settings):
    settings.VALIDATION_WEBHOOK_WAIT_SECONDS = 15
    connection = ConnectionFactory(
        channel=ChannelFactory(name="Sandbox Market ES", sandbox_base_url=market.url),
        store_id=STORE,
        credentials={"api_key": API_KEY, "webhook_secret": WEBHOOK_SECRET},
    )
    market.register_store(store_ref=STORE, api_key=API_KEY, webhook_secret=WEBHOOK_SECRET, currency="EUR",
                          webhook_url=f"{live_server.url}/webhooks/{connection.webhook_token}/")
    return connection
