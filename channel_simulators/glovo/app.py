"""The Glovo dialect: static-token API under ``/webhook/stores/{storeId}``, full-order webhooks.

API: ``PUT …/orders/{orderId}/status``, ``POST …/menu`` with ``{"menu_url"}``
(answers a ``transaction_id``; the simulator downloads the file over HTTP as
Glovo does, with ``Authorization: Bearer <menu_token>`` when the store was
registered with one, and records it as ``menu_download``; 5 uploads a day per
store, then 429), ``GET …/menu/{transactionId}`` (PROCESSING, then SUCCESS or a
documented failure: FETCH_MENU_SERVER_ERROR / FETCH_MENU_UNAUTHORIZED /
FETCH_MENU_INVALID_PAYLOAD for the download, NOT_PROCESSED with ``details``
for a menu it rejects), ``PATCH …/products/{productId}`` and
``PATCH …/attributes/{attributeId}`` (120 a minute per store, else 429),
``PUT``/``DELETE …/closing``. Our calls carry the static token in
``Authorization`` as-is; Glovo's webhooks carry the partner's shared token the
same way. Order and cancellation notifications are the module's corpus fixtures
(``orders.py``): ``POST /_control/orders {"store_id", "fixture": "order_customer_pickup"}``.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
import uuid
from typing import Any

from ..kit.app import route
from ..kit.dialect import DialectSimulator
from ..kit.http import HttpError, Request, Response
from .orders import DEFAULT_FIXTURE, build_cancellation, build_order, now_utc, order_fixtures

PATCH_LIMIT = 120
UPLOADS_A_DAY = 5
DOWNLOAD_TIMEOUT = 10
STATUSES = ("ACCEPTED", "READY_FOR_PICKUP", "OUT_FOR_DELIVERY", "PICKED_UP_BY_CUSTOMER")


def error(status: int, message: str) -> HttpError:
    return HttpError(status, {"error": {"message": message}})


class GlovoSimulator(DialectSimulator):
    name = "glovo"

    def __init__(self) -> None:
        base = "/webhook/stores/<store_id>"
        super().__init__([
            route("PUT", base + "/orders/<order_id>/status", self.set_status),
            route("POST", base + "/menu", self.upload_menu),
            route("GET", base + "/menu/<transaction_id>", self.menu_transaction),
            route("PATCH", base + "/products/<item_id>", self.patch_product),
            route("PATCH", base + "/attributes/<item_id>", self.patch_attribute),
            route("PUT", base + "/closing", self.close),
            route("DELETE", base + "/closing", self.reopen),
            route("POST", "/_control/stores", self.register_store),
            route("GET", "/_control/stores/<store_id>", self.get_store),
            route("POST", "/_control/orders", self.create_order),
            route("POST", "/_control/orders/<order_id>/cancel", self.cancel_order),
            route("POST", "/_control/menu/fail-next", self.fail_next_upload),
        ])

    def wipe(self) -> None:
        super().wipe()
        self.stores: dict[str, dict[str, Any]] = {}
        self.orders: dict[str, dict[str, Any]] = {}
        self.transactions: dict[str, dict[str, Any]] = {}
        self.fail_next: list[str] | None = None
        self.patches: dict[str, list[float]] = {}

    def _store(self, request: Request, store_id: str) -> dict[str, Any]:
        store = self.stores.get(store_id)
        given = request.headers.get("authorization", "")
        if store is None or not given or given != store["api_token"]:
            raise error(401, "Unauthorized: invalid token for this store")
        return store

    # --- API ---------------------------------------------------------------------

    def set_status(self, request: Request, store_id: str, order_id: str) -> Response:
        with self.lock:
            self._store(request, store_id)
            order = self.orders.get(order_id)
            if order is None or order["store_id"] != store_id:
                raise error(404, f"Order {order_id} not found")
            status = request.json(empty={}).get("status")
            if status not in STATUSES:
                raise error(400, f"Invalid status {status!r}; expected one of {', '.join(STATUSES)}")
            if order.get("cancelled"):
                raise error(409, f"Order {order_id} was cancelled")
            if status == "PICKED_UP_BY_CUSTOMER" and not order["is_picked_up_by_customer"]:
                raise error(400, "PICKED_UP_BY_CUSTOMER is only valid for orders picked up by the customer")
            order["status"] = status
            self.record("status", store_id, {"status": status}, order_id=order_id)
            return Response(204)

    def upload_menu(self, request: Request, store_id: str) -> Response:
        with self.lock:
            store = self._store(request, store_id)
            body = request.json(empty={})
            if not isinstance(body, dict) or not isinstance(body.get("menu_url"), str) or not body["menu_url"]:
                raise error(400, "menu_url is required: the URL of the JSON menu Glovo downloads")
            if set(body) != {"menu_url"}:
                raise error(400, f"unknown fields {sorted(set(body) - {'menu_url'})}: the body is only menu_url")
            day = time.strftime("%Y-%m-%d", time.gmtime())
            uploads = [d for d in store.setdefault("uploads", []) if d == day]
            if len(uploads) >= UPLOADS_A_DAY:
                raise error(429, f"Too many requests: {UPLOADS_A_DAY} menu uploads a day per store")
            store["uploads"] = [*uploads, day]
            menu_token = store.get("menu_token") or ""
        # Glovo downloads the file itself; outside the lock, so a slow server does not stop the simulator.
        status, menu, download = _download(body["menu_url"], menu_token)
        with self.lock:
            transaction_id = str(uuid.uuid4())
            details: list[str] = []
            if status is None:
                details = self.fail_next if self.fail_next is not None else _validate(menu)
                self.fail_next = None
                status = "NOT_PROCESSED" if details else None
            self.transactions[transaction_id] = {"store_id": store_id, "menu": menu, "status": status,
                                                 "errors": details, "polls": 0}
            self.record("menu_download", store_id, {**download, "menu": menu}, transaction_id=transaction_id)
            self.record("menu_upload", store_id, body, transaction_id=transaction_id)
            return Response(200, {"transaction_id": transaction_id})

    def menu_transaction(self, request: Request, store_id: str, transaction_id: str) -> Response:
        with self.lock:
            self._store(request, store_id)
            transaction = self.transactions.get(transaction_id)
            if transaction is None or transaction["store_id"] != store_id:
                raise error(404, f"Transaction {transaction_id} not found")
            transaction["polls"] += 1
            if transaction["polls"] < 2:  # the first poll always finds it still processing
                status, details = "PROCESSING", []
            elif transaction["status"]:
                status, details = transaction["status"], transaction["errors"]
            else:
                status, details = "SUCCESS", []
                self.stores[store_id]["menu"] = transaction["menu"]
            return Response(200, {"transaction_id": transaction_id, "status": status, "details": details,
                                  "last_updated_at": now_utc().isoformat()})

    def _patch(self, request: Request, store_id: str, item_id: str, kind: str) -> Response:
        with self.lock:
            store = self._store(request, store_id)
            now = time.time()
            recent = [t for t in self.patches.get(store_id, []) if now - t < 60]
            if len(recent) >= PATCH_LIMIT:
                raise HttpError(429, {"error": {"message": "Too many requests: 120 per minute per store"}},
                                {"Retry-After": str(int(60 - (now - recent[0])) + 1)})
            self.patches[store_id] = [*recent, now]
            menu = store.get("menu") or {}
            collection = "products" if kind == "product" else "attributes"
            items = {item["id"]: item for item in menu.get(collection, [])}
            if item_id not in items:
                raise error(404, f"{kind.capitalize()} {item_id} not found in the store's menu")
            patch = request.json(empty={})
            items[item_id].update(patch)
            self.record(f"{kind}_patch", store_id, patch, item_id=item_id)
            return Response(204)

    def patch_product(self, request: Request, store_id: str, item_id: str) -> Response:
        return self._patch(request, store_id, item_id, "product")

    def patch_attribute(self, request: Request, store_id: str, item_id: str) -> Response:
        return self._patch(request, store_id, item_id, "attribute")

    def close(self, request: Request, store_id: str) -> Response:
        with self.lock:
            store = self._store(request, store_id)
            body = request.json(empty={})
            if not body.get("until"):
                raise error(400, "until is required for a temporary closing")
            store["closed_until"] = body["until"]
            self.record("closing", store_id, body)
            return Response(204)

    def reopen(self, request: Request, store_id: str) -> Response:
        with self.lock:
            store = self._store(request, store_id)
            store["closed_until"] = None
            self.record("reopen", store_id, None)
            return Response(204)

    # --- controls ------------------------------------------------------------------

    def register_store(self, request: Request) -> Response:
        with self.lock:
            body = request.json(empty={})
            store = {"store_id": body["store_id"], "api_token": body["api_token"],
                     "webhook_url": body.get("webhook_url", ""), "webhook_token": body.get("webhook_token", ""),
                     "utc_offset_minutes": int(body.get("utc_offset_minutes", 60)), "menu": None,
                     "menu_token": body.get("menu_token", ""), "closed_until": None, "uploads": []}
            self.stores[store["store_id"]] = store
            return Response(201, store)

    def get_store(self, request: Request, store_id: str) -> Response:
        with self.lock:
            if store_id not in self.stores:
                raise error(404, "no such store")
            return Response(200, self.stores[store_id])

    def create_order(self, request: Request) -> Response:
        """A customer orders one of the corpus' orders (``fixture``): POSTed whole with the shared token.

        ``utc_offset_minutes`` (else the store's) is the offset its local times are written in.
        """
        with self.lock:
            body = request.json(empty={})
            store = self.stores[body["store_id"]]
            fixture = body.get("fixture", DEFAULT_FIXTURE)
            if fixture not in order_fixtures():
                raise error(400, f"fixture must be one of {', '.join(order_fixtures())}")
            offset = int(body.get("utc_offset_minutes", store["utc_offset_minutes"]))
            order = build_order(store, fixture, now_utc(), offset, body.get("order_id"))
            self.orders[order["order_id"]] = {**order, "status": None, "cancelled": False}
            self._notify(store, order, f"{order['order_id']}:dispatched")
            return Response(201, order)

    def cancel_order(self, request: Request, order_id: str) -> Response:
        with self.lock:
            order = self.orders[order_id]
            order["cancelled"] = True
            body = request.json(empty={})
            notification = build_cancellation(order, body.get("cancel_reason"), body.get("payment_strategy"))
            self._notify(self.stores[order["store_id"]], notification, f"{order_id}:cancelled")
            return Response(200, notification)

    def fail_next_upload(self, request: Request) -> Response:
        with self.lock:
            self.fail_next = list(request.json(empty={}).get("details") or ["Menu rejected"])
            return Response(200, {"ok": True})

    def _notify(self, store: dict[str, Any], payload: dict[str, Any], event_id: str) -> None:
        if store.get("webhook_url"):
            self.sender.send(store["webhook_url"], json.dumps(payload).encode(),
                             {"Authorization": store["webhook_token"]}, event_id)


def _download(url: str, bearer_token: str) -> tuple[str | None, Any, dict[str, Any]]:
    """GET the menu file as Glovo does: (failure status or None, the menu, what happened)."""
    headers = {"Accept": "application/json", "User-Agent": "glovo-simulator"}
    if bearer_token:
        headers["Authorization"] = f"Bearer {bearer_token}"
    seen: dict[str, Any] = {"url": url, "authorization": headers.get("Authorization", "")}
    if not url.startswith(("http://", "https://")):
        seen.update(status=None, error="not an http(s) URL")
        return "FETCH_MENU_SERVER_ERROR", None, seen
    download = urllib.request.Request(url, headers=headers)  # noqa: S310 - http(s) only, checked above
    try:
        with urllib.request.urlopen(download, timeout=DOWNLOAD_TIMEOUT) as got:  # noqa: S310 - http(s) only
            seen.update(status=got.status, content_type=got.headers.get("Content-Type", ""))
            content = got.read()
    except urllib.error.HTTPError as exc:
        seen.update(status=exc.code, content_type=exc.headers.get("Content-Type", ""))
        return ("FETCH_MENU_UNAUTHORIZED" if exc.code in (401, 403) else "FETCH_MENU_SERVER_ERROR"), None, seen
    except (urllib.error.URLError, OSError) as exc:
        seen.update(status=None, error=str(exc))
        return "FETCH_MENU_SERVER_ERROR", None, seen
    try:
        return None, json.loads(content), seen
    except (UnicodeDecodeError, json.JSONDecodeError):
        return "FETCH_MENU_INVALID_PAYLOAD", None, seen


def _validate(menu: Any) -> list[str]:
    """Glovo-style validation messages for a menu that cannot be published."""
    if not isinstance(menu, dict):
        return ["Menu must be a JSON object"]
    problems = []
    attributes = {a.get("id") for a in menu.get("attributes", [])}
    groups = {g.get("id") for g in menu.get("attribute_groups", [])}
    for group in menu.get("attribute_groups", []):
        problems += [f"Attribute group {group.get('id')} references unknown attribute {a}"
                     for a in group.get("attributes", []) if a not in attributes]
    for product in menu.get("products", []):
        if not isinstance(product.get("price"), int | float) or product["price"] < 0:
            problems.append(f"Product {product.get('id')} has an invalid price")
        problems += [f"Product {product.get('id')} references unknown attribute group {g}"
                     for g in product.get("attributes_groups", []) if g not in groups]
    return problems
