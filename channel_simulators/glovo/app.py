"""The Glovo dialect: static-token API under ``/webhook/stores/{storeId}``, full-order webhooks.

API: ``PUT …/orders/{orderId}/status``, ``POST …/menu`` (answers a
``transaction_id``), ``GET …/menu/{transactionId}`` (PROCESSING, then SUCCESS
or FAILED with ``details``), ``PATCH …/products/{productId}`` and
``PATCH …/attributes/{attributeId}`` (120 a minute per store, else 429),
``PUT``/``DELETE …/closing``. Our calls carry the static token in
``Authorization`` as-is; Glovo's webhooks carry the partner's shared token the
same way. Order and cancellation notifications are the module's corpus fixtures
(``orders.py``): ``POST /_control/orders {"store_id", "fixture": "order_customer_pickup"}``.
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

from ..kit.app import route
from ..kit.dialect import DialectSimulator
from ..kit.http import HttpError, Request, Response
from .orders import DEFAULT_FIXTURE, build_cancellation, build_order, now_utc, order_fixtures

PATCH_LIMIT = 120
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
            self._store(request, store_id)
            menu = request.json(empty={})
            transaction_id = str(uuid.uuid4())
            errors = self.fail_next
            self.fail_next = None
            if errors is None:
                errors = _validate(menu)
            self.transactions[transaction_id] = {"store_id": store_id, "menu": menu, "errors": errors, "polls": 0}
            self.record("menu_upload", store_id, menu, transaction_id=transaction_id)
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
            elif transaction["errors"]:
                status, details = "FAILED", transaction["errors"]
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
                     "closed_until": None}
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
