"""The Glovo simulator speaks Glovo's dialect: static token, full-order webhooks, menu transactions, limits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

AUTH = {"Authorization": "static-token"}


@pytest.fixture(autouse=True)
def store(glovo):
    glovo.reset()
    glovo.control("POST", "/_control/stores", {"store_id": "g1", "api_token": "static-token"})


def upload(glovo, menu: dict) -> str:
    return glovo.request("POST", "/webhook/stores/g1/menu", menu, AUTH).body["transaction_id"]


def poll(glovo, transaction_id: str) -> dict:
    return glovo.request("GET", f"/webhook/stores/g1/menu/{transaction_id}", headers=AUTH).body

CORPUS = Path(__file__).resolve().parents[2] / "integrations" / "channels" / "glovo" / "corpus"

MENU = {"attributes": [], "attribute_groups": [], "collections": [], "supercollections": [],
        "products": [{"id": "P1", "name": "Pizza", "price": 11.5, "available": True, "attributes_groups": []}]}


def test_the_static_token_is_required_as_is(glovo):
    assert glovo.request("DELETE", "/webhook/stores/g1/closing").status == 401
    assert glovo.request("DELETE", "/webhook/stores/g1/closing", headers={"Authorization": "Bearer static-token"}
                         ).status == 401
    assert glovo.request("DELETE", "/webhook/stores/g1/closing", headers=AUTH).status == 204


def test_orders_are_posted_whole_with_the_shared_token_in_cents_and_local_time(glovo, inbox):
    glovo.control("POST", "/_control/stores", {"store_id": "g2", "api_token": "t", "webhook_url": inbox.url,
                                               "webhook_token": "shared", "utc_offset_minutes": 120})
    glovo.control("POST", "/_control/orders", {"store_id": "g2"})

    body, headers = inbox.wait(1)[0]
    order = json.loads(body)
    assert headers["Authorization"] == "shared"
    assert order["utc_offset_minutes"] == "120" and len(order["order_time"]) == 19
    documented = json.loads((CORPUS / "order_glovo_courier.json").read_text())["payload"]
    assert order["products"] == documented["products"] and order["estimated_total_price"] == 2960
    assert order["store_id"] == "g2" and order["order_id"] != documented["order_id"]
    assert list(order) == list(documented)  # the documented fields, in the documented order


def test_a_menu_transaction_processes_then_succeeds_or_fails_with_details(glovo):
    first = upload(glovo, MENU)
    assert poll(glovo, first)["status"] == "PROCESSING"
    assert poll(glovo, first)["status"] == "SUCCESS"

    glovo.control("POST", "/_control/menu/fail-next", {"details": ["Invalid product P1"]})
    second = upload(glovo, MENU)
    poll(glovo, second)
    assert poll(glovo, second) | {"last_updated_at": None} == {
        "transaction_id": second, "status": "FAILED", "details": ["Invalid product P1"], "last_updated_at": None}

    broken = upload(glovo, {**MENU, "products": [{"id": "P2", "price": -1, "attributes_groups": ["nope"]}]})
    poll(glovo, broken)
    assert len(poll(glovo, broken)["details"]) == 2


def test_product_patches_are_limited_to_120_a_minute(glovo):
    transaction = upload(glovo, MENU)
    poll(glovo, transaction), poll(glovo, transaction)
    statuses = [glovo.request("PATCH", "/webhook/stores/g1/products/P1", {"available": True}, AUTH).status
                for _ in range(121)]

    assert statuses[:120] == [204] * 120 and statuses[120] == 429


def test_temporary_closing_needs_until(glovo):
    assert glovo.request("PUT", "/webhook/stores/g1/closing", {}, AUTH).status == 400
    assert glovo.request("PUT", "/webhook/stores/g1/closing", {"until": "2026-11-27T13:00:00Z"}, AUTH).status == 204


def test_a_cancellation_is_the_documented_notification_for_that_order(glovo, inbox):
    glovo.control("POST", "/_control/stores", {"store_id": "g3", "api_token": "t", "webhook_url": inbox.url,
                                               "webhook_token": "shared"})
    order = glovo.control("POST", "/_control/orders", {"store_id": "g3", "fixture": "order_customer_pickup"})
    glovo.control("POST", f"/_control/orders/{order['order_id']}/cancel", {"cancel_reason": "ORDER_NOT_FEASIBLE"})

    body, _ = inbox.wait(2)[1]
    assert json.loads(body) == {"order_id": order["order_id"], "store_id": "g3",
                                "cancel_reason": "ORDER_NOT_FEASIBLE", "payment_strategy": "PAY_PRODUCTS"}
    assert order["is_picked_up_by_customer"] is True and order["pick_up_code"] == "238"
