"""A reject from the ticket with a canonical reason and out-of-stock SKUs, heard by Uber Eats in its own words.

Against the Uber Eats simulator as its own process, over real HTTP: the order is fetched from it as its thin
webhook would have us do, the staff's reject goes through ``change_order_status`` and the outbox, and the
simulator's log says what Uber received (``deny_pos_order`` with its own code and ``out_of_stock_items``).
"""

from __future__ import annotations

import pytest

from integrations.connections import client_for
from integrations.models import SyncJob
from orders.channel_door import ChannelLink, take_order
from orders.models import OrderStatus
from tests.channels.uber_eats.conftest import uber_app  # noqa: F401  (a fresh Uber app per test)
from tests.factories.integrations import ChannelFactory, ConnectionFactory
from tests.outbound.conftest import drain, fast_outbound  # noqa: F401

from .conftest import press, shown_messages

pytestmark = pytest.mark.django_db

STORE = "uber-ticket-store"
NESTED = "get_order_nested_modifiers_removed_item"
"""Uber's documented order with two products (byo-burger, caesar-salad), from the module's corpus."""


def test_a_reject_for_items_out_of_stock_reaches_uber_as_item_availability_with_the_skus(
    admin_client, uber, uber_app  # noqa: F811
):
    uber.control("POST", "/_control/stores", {"store_id": STORE})
    connection = ConnectionFactory(channel=ChannelFactory(module="uber_eats", sandbox_base_url=uber.url),
                                   store_id=STORE, credentials=dict(uber_app), auto_accept=False)
    created = uber.control("POST", "/_control/orders", {"store_id": STORE, "fixture": NESTED})
    link = ChannelLink(connection_id=connection.pk, restaurant_id=connection.restaurant_id)
    order, _ = take_order(link, client_for(connection).get_order(created["id"]), correlation_id="evt-uber-1")
    page = admin_client.get(f"/admin/orders/order/{order.pk}/change/")
    offered = [sku for sku, _name in page.context["order_skus"]]

    response = press(admin_client, order, "reject", reason_code="items_unavailable",
                     unavailable_items=["byo-burger", "caesar-salad"], reason="No burger buns left")

    assert offered[:2] == ["byo-burger", "caesar-salad"]
    assert shown_messages(response) == [("success", "received → rejected: the channel will be told.")]
    [job] = order.sync_jobs.filter(kind=SyncJob.Kind.ORDER_STATUS)
    assert job.payload["update"]["unavailable_items"] == ["byo-burger", "caesar-salad"]
    assert drain() == ["succeeded"]
    [deny] = uber.log("deny_pos_order")
    assert deny["order_id"] == created["id"]
    assert deny["payload"]["reason"] == {
        "code": "ITEM_AVAILABILITY", "explanation": "No burger buns left",
        "out_of_stock_items": ["byo-burger", "caesar-salad"],
    }
    order.refresh_from_db()
    assert order.status == OrderStatus.REJECTED
    assert uber.control("GET", f"/_control/orders/{created['id']}")["current_state"] == "DENIED"
