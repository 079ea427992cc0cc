"""End to end: a status change through the POS API reaches the Sandbox Market (real process, real worker)."""

from __future__ import annotations

import pytest

from api.keys import create_api_key
from tests.factories.integrations import ChannelFactory, ConnectionFactory
from tests.factories.orders import OrderFactory

from .conftest import client_with

API_KEY = "mk_api_e2e_KEY"
WEBHOOK_SECRET = "whsec_api_e2e"


@pytest.mark.django_db(transaction=True)
def test_accept_then_ready_via_the_api_reach_the_market(market, celery_worker):
    market.register_store(store_ref="api-e2e", api_key=API_KEY, webhook_secret=WEBHOOK_SECRET, currency="EUR")
    ticket = market.create_ticket("api-e2e", kind="HOME_DELIVERY")
    connection = ConnectionFactory(
        channel=ChannelFactory(sandbox_base_url=market.url), store_id="api-e2e",
        credentials={"api_key": API_KEY, "webhook_secret": WEBHOOK_SECRET},
    )
    order = OrderFactory(restaurant=connection.restaurant, connection=connection,
                         channel_order_id=ticket["ticket_id"])
    _, key = create_api_key([connection.restaurant], "Till 1")
    client = client_with(key)

    accepted = client.post(f"/api/v1/orders/{order.pk}/status", {"status": "accepted", "prep_minutes": 12},
                           format="json")
    assert accepted.status_code == 200, accepted.content
    states = market.wait_for(lambda: market.log("api-e2e", "state"), timeout=20)
    assert states[0]["payload"]["state"] == "CONFIRMED" and states[0]["payload"]["prep_minutes"] == 12

    assert client.post(f"/api/v1/orders/{order.pk}/status", {"status": "ready"}, format="json").status_code == 200
    market.wait_for(lambda: len(market.log("api-e2e", "state")) == 2, timeout=20)
    assert market.get_ticket(ticket["ticket_id"])["state"] == "READY"
    body = market.wait_for(
        lambda: (b := client.get(f"/api/v1/orders/{order.pk}").json())["status_sync"]["state"] == "succeeded" and b,
        timeout=20,
    )
    assert body["status"] == "ready"
