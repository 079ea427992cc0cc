"""The Glovo simulator speaks Glovo's dialect: static token, full-order webhooks, menu transactions, limits."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

AUTH = {"Authorization": "static-token"}


@pytest.fixture(autouse=True)
def store(glovo):
    glovo.reset()
    glovo.control("POST", "/_control/stores", {"store_id": "g1", "api_token": "static-token"})


class MenuFiles:
    """Our side of a menu upload, over real HTTP: each menu served at its own URL, who asked for it kept."""

    def __init__(self) -> None:
        self.files: dict[str, tuple[int, bytes]] = {}
        self.asked: list[tuple[str, str]] = []
        files, asked = self.files, self.asked

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                asked.append((self.path, self.headers.get("Authorization", "")))
                status, content = files.get(self.path, (404, b""))
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def serve(self, menu, status: int = 200) -> str:
        path = f"/menus/{len(self.files)}.json"
        self.files[path] = (status, menu if isinstance(menu, bytes) else json.dumps(menu).encode())
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"


@pytest.fixture
def menus():
    files = MenuFiles()
    yield files
    files.server.shutdown()
    files.server.server_close()


def upload(glovo, menus: MenuFiles, menu, status: int = 200) -> str:
    return glovo.request("POST", "/webhook/stores/g1/menu", {"menu_url": menus.serve(menu, status)},
                         AUTH).body["transaction_id"]


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


def test_a_menu_transaction_processes_then_succeeds_or_fails_with_details(glovo, menus):
    first = upload(glovo, menus, MENU)
    assert poll(glovo, first)["status"] == "PROCESSING"
    assert poll(glovo, first)["status"] == "SUCCESS"

    glovo.control("POST", "/_control/menu/fail-next", {"details": ["Invalid product P1"]})
    second = upload(glovo, menus, MENU)
    poll(glovo, second)
    assert poll(glovo, second) | {"last_updated_at": None} == {
        "transaction_id": second, "status": "NOT_PROCESSED", "details": ["Invalid product P1"],
        "last_updated_at": None}

    broken = upload(glovo, menus, {**MENU, "products": [{"id": "P2", "price": -1, "attributes_groups": ["nope"]}]})
    poll(glovo, broken)
    assert len(poll(glovo, broken)["details"]) == 2


def test_the_menu_is_the_file_at_menu_url_which_glovo_downloads(glovo, menus):
    transaction = upload(glovo, menus, MENU)
    poll(glovo, transaction), poll(glovo, transaction)

    [(path, authorization)] = menus.asked
    [download] = glovo.log("menu_download")
    assert path == "/menus/0.json" and authorization == ""  # no menu token registered for this store
    assert (download["payload"]["status"], download["payload"]["menu"]) == (200, MENU)
    assert glovo.control("GET", "/_control/stores/g1")["menu"] == MENU
    inline = glovo.request("POST", "/webhook/stores/g1/menu", MENU, AUTH)
    assert inline.status == 400  # StoreIdMenuBody.md: the body is {menu_url}, not the menu


def test_the_download_carries_the_stores_menu_token_as_bearer(glovo, menus):
    glovo.control("POST", "/_control/stores", {"store_id": "g1", "api_token": "static-token",
                                               "menu_token": "menu-secret"})

    upload(glovo, menus, MENU)

    assert menus.asked == [("/menus/0.json", "Bearer menu-secret")]


def test_a_menu_glovo_cannot_fetch_or_read_fails_with_the_documented_status(glovo, menus):
    refused, missing, garbled = (upload(glovo, menus, MENU, 401), upload(glovo, menus, MENU, 500),
                                 upload(glovo, menus, b"<html>"))
    for transaction in (refused, missing, garbled):
        poll(glovo, transaction)

    assert [poll(glovo, t)["status"] for t in (refused, missing, garbled)] == [
        "FETCH_MENU_UNAUTHORIZED", "FETCH_MENU_SERVER_ERROR", "FETCH_MENU_INVALID_PAYLOAD"]


def test_only_five_menu_uploads_a_day_per_store(glovo, menus):
    accepted = [upload(glovo, menus, MENU) for _ in range(5)]

    sixth = glovo.request("POST", "/webhook/stores/g1/menu", {"menu_url": menus.serve(MENU)}, AUTH)

    assert len(set(accepted)) == 5 and sixth.status == 429


def test_product_patches_are_limited_to_120_a_minute(glovo, menus):
    transaction = upload(glovo, menus, MENU)
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

    # The order's and the cancellation's deliveries go out apart: either may land first.
    [cancellation] = [json.loads(body) for body, _ in inbox.wait(2) if "cancel_reason" in json.loads(body)]
    assert cancellation == {"order_id": order["order_id"], "store_id": "g3",
                            "cancel_reason": "ORDER_NOT_FEASIBLE", "payment_strategy": "PAY_PRODUCTS"}
    assert order["is_picked_up_by_customer"] is True and order["pick_up_code"] == "238"
