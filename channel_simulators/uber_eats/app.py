"""The Uber Eats dialect: routes, in-memory state, the 11.5-minute acceptance deadline on a controllable clock.

API (as documented on developer.uber.com/docs/eats): ``POST /oauth/v2/token``
(client credentials, form-encoded), ``GET /v2/eats/order/{id}``,
``POST /v1/eats/orders/{id}/accept_pos_order|deny_pos_order|cancel``,
``PUT /v2/eats/stores/{store}/menus``, ``POST /v2/eats/stores/{store}/menus/items/{item}``,
``POST /v1/eats/store/{store}/status``, ``POST /v1/eats/stores/{store}/holiday-hours``.
Errors are ``{code, message}``. Webhooks are thin ``orders.notification``
events signed with ``X-Uber-Signature`` (hex HMAC-SHA256 of the body, keyed
with the client secret). Orders and webhooks are the module's corpus fixtures
(``orders.py``): ``POST /_control/orders {"store_id", "fixture": "get_order_pickup"}``.
"""

from __future__ import annotations

import hmac
import json
import secrets
import time
from datetime import UTC, datetime
from typing import Any

from ..kit.app import route
from ..kit.dialect import DialectSimulator
from ..kit.faults import FaultBook, injected
from ..kit.http import ApiError, HttpError, Request, Response
from ..kit.webhooks import hmac_hex
from .orders import DEFAULT_FIXTURE, NEW_ORDER_EVENT, announcing_event, build_order, build_webhook, order_fixtures

ACCEPT_WINDOW_SECONDS = 11.5 * 60
SCOPES = {"eats.store", "eats.order", "eats.store.orders.read", "eats.store.status.write"}


def error(status: int, code: str, message: str) -> ApiError:
    """Uber's error shape, ``{code, message}``, is the kit's default one."""
    return ApiError(status, code, message)


class UberEatsSimulator(DialectSimulator):
    name = "uber_eats"

    def __init__(self) -> None:
        self.faults = FaultBook(scope_key="operation")
        super().__init__([
            route("POST", "/oauth/v2/token", self.token),
            route("GET", "/v2/eats/order/<order_id>", self.get_order),
            route("POST", "/v1/eats/orders/<order_id>/accept_pos_order", self.accept),
            route("POST", "/v1/eats/orders/<order_id>/deny_pos_order", self.deny),
            route("POST", "/v1/eats/orders/<order_id>/cancel", self.cancel),
            route("PUT", "/v2/eats/stores/<store_id>/menus", self.put_menus),
            route("POST", "/v2/eats/stores/<store_id>/menus/items/<item_id>", self.update_item),
            route("POST", "/v1/eats/store/<store_id>/status", self.set_status),
            route("POST", "/v1/eats/stores/<store_id>/holiday-hours", self.holiday_hours),
            route("POST", "/_control/app", self.configure_app),
            route("POST", "/_control/stores", self.register_store),
            route("GET", "/_control/stores/<store_id>", self.get_store),
            route("POST", "/_control/orders", self.create_order),
            route("POST", "/_control/orders/<order_id>/age", self.age_order),
            route("POST", "/_control/orders/<order_id>/cancel", self.cancel_on_uber),
            route("POST", "/_control/orders/<order_id>/due", self.scheduled_order_due),
            route("GET", "/_control/orders/<order_id>", self.peek_order),
            route("POST", "/_control/tokens/revoke", self.revoke_tokens),
            route("POST", "/_control/faults", self.add_fault),
            route("GET", "/_control/stats", self.stats),
        ])

    def wipe(self) -> None:
        super().wipe()
        self.client_id, self.client_secret, self.expires_in = "", "", 2592000
        self.tokens: dict[str, float] = {}
        self.stores: dict[str, dict[str, Any]] = {}
        self.orders: dict[str, dict[str, Any]] = {}
        self.created_at: dict[str, float] = {}
        self.cancel_reasons: dict[str, str] = {}
        self.faults.clear()
        self.counts: dict[str, int] = {}

    # --- plumbing ----------------------------------------------------------------

    def _count(self, what: str) -> None:
        self.counts[what] = self.counts.get(what, 0) + 1

    def _authorize(self, request: Request, operation: str) -> None:
        self._count(operation)
        fault = self.faults.take(operation)
        if fault is not None:
            raise injected(int(fault.get("status", 500)), "simulated_fault", "injected fault",
                           retry_after=fault.get("retry_after") or None)
        header = request.headers.get("authorization", "")
        token = header[7:] if header.startswith("Bearer ") else ""
        expires = self.tokens.get(token)
        if expires is None or expires < time.time():
            raise error(401, "unauthorized", "Invalid OAuth 2.0 credentials provided.")

    def _order(self, order_id: str) -> dict[str, Any]:
        order = self.orders.get(order_id)
        if order is None:
            raise error(404, "not_found", f"order {order_id} does not exist")
        self._expire(order_id)
        return order

    def _expire(self, order_id: str) -> None:
        """Uber auto-cancels an order nobody accepted or denied within 11.5 minutes."""
        order = self.orders[order_id]
        if order["current_state"] == "CREATED" and time.time() - self.created_at[order_id] > ACCEPT_WINDOW_SECONDS:
            order["current_state"] = "CANCELED"
            self.cancel_reasons[order_id] = "auto-cancelled: not accepted within 11.5 minutes"

    def _json(self, request: Request) -> dict[str, Any]:
        data = request.json(empty={})
        if not isinstance(data, dict):
            raise error(400, "invalid_request", "the body must be a JSON object")
        return data

    def _store(self, store_id: str) -> dict[str, Any]:
        store = self.stores.get(store_id)
        if store is None:
            raise error(404, "not_found", f"store {store_id} is not provisioned for this app")
        return store

    # --- API ---------------------------------------------------------------------

    def token(self, request: Request) -> Response:
        with self.lock:
            self._count("oauth_token")
            form = request.form()
            if form.get("grant_type") != "client_credentials":
                raise HttpError(400, {"error": "unsupported_grant_type"})
            if not self.client_id or form.get("client_id") != self.client_id or not hmac.compare_digest(
                form.get("client_secret", ""), self.client_secret
            ):
                raise HttpError(401, {"error": "invalid_client"})
            scopes = set((form.get("scope") or "").split())
            if not scopes or not scopes <= SCOPES:
                raise HttpError(400, {"error": "invalid_scope"})
            token = secrets.token_urlsafe(24)
            self.tokens[token] = time.time() + self.expires_in
            return Response(200, {"access_token": token, "token_type": "Bearer", "expires_in": self.expires_in,
                                  "scope": " ".join(sorted(scopes))})

    def get_order(self, request: Request, order_id: str) -> Response:
        with self.lock:
            self._authorize(request, "get_order")
            return Response(200, self._order(order_id))

    def _decide(self, request: Request, order_id: str, kind: str, state: str) -> Response:
        with self.lock:
            self._authorize(request, kind)
            order = self._order(order_id)
            body = self._json(request)
            if order["current_state"] == "CANCELED" and order_id in self.cancel_reasons:
                raise error(409, "order_expired", f"Order {order_id} was {self.cancel_reasons[order_id]}")
            if order["current_state"] != "CREATED":
                raise error(409, "invalid_state", f"Order {order_id} is {order['current_state']}, not CREATED")
            if kind == "deny_pos_order":
                reason = body.get("reason")
                if not isinstance(reason, dict) or reason.get("code") not in DENY_CODES:
                    raise error(400, "invalid_reason", "reason.code must be one of " + ", ".join(DENY_CODES))
            elif "pickup_time" in body and not isinstance(body["pickup_time"], int):
                raise error(400, "invalid_pickup_time", "pickup_time must be Unix seconds")
            order["current_state"] = state
            self.record(kind, order["store"]["id"], body, order_id=order_id)
            return Response(204)

    def accept(self, request: Request, order_id: str) -> Response:
        return self._decide(request, order_id, "accept_pos_order", "ACCEPTED")

    def deny(self, request: Request, order_id: str) -> Response:
        return self._decide(request, order_id, "deny_pos_order", "DENIED")

    def cancel(self, request: Request, order_id: str) -> Response:
        with self.lock:
            self._authorize(request, "cancel")
            order = self._order(order_id)
            body = self._json(request)
            if order["current_state"] in ("CANCELED", "DENIED", "FINISHED"):
                raise error(404, "not_found", f"order {order_id} is already {order['current_state']}")
            if body.get("reason") not in CANCEL_CODES:
                raise error(400, "invalid_reason", "reason must be one of " + ", ".join(CANCEL_CODES))
            order["current_state"] = "CANCELED"
            self.record("cancel", order["store"]["id"], body, order_id=order_id)
            return Response(200, {})

    def put_menus(self, request: Request, store_id: str) -> Response:
        with self.lock:
            self._authorize(request, "upload_menu")
            store = self._store(store_id)
            menu = self._json(request)
            for key in ("menus", "categories", "items", "modifier_groups"):
                if not isinstance(menu.get(key), list):
                    raise error(400, "invalid_menu", f"{key} must be a list")
            ids = {item["id"] for item in menu["items"]}
            for category in menu["categories"]:
                for entity in category.get("entities", []):
                    if entity["id"] not in ids:
                        raise error(400, "invalid_menu", f"category {category['id']} lists unknown item {entity['id']}")
            store["menu"] = menu
            self.record("upload_menu", store_id, menu)
            return Response(204)

    def update_item(self, request: Request, store_id: str, item_id: str) -> Response:
        with self.lock:
            self._authorize(request, "update_item")
            store = self._store(store_id)
            items = {item["id"]: item for item in (store.get("menu") or {}).get("items", [])}
            if item_id not in items:
                raise error(404, "not_found", f"item {item_id} is not on the menu; upload the menu first")
            patch = self._json(request)
            items[item_id].update(patch)
            self.record("update_item", store_id, patch, item_id=item_id)
            return Response(204)

    def set_status(self, request: Request, store_id: str) -> Response:
        with self.lock:
            self._authorize(request, "set_status")
            store = self._store(store_id)
            body = self._json(request)
            if body.get("status") not in ("ONLINE", "PAUSED"):
                raise error(400, "invalid_status", "status must be ONLINE or PAUSED")
            store["status"] = body["status"]
            store["paused_until"] = body.get("paused_until")
            self.record("status", store_id, body)
            return Response(204)

    def holiday_hours(self, request: Request, store_id: str) -> Response:
        with self.lock:
            self._authorize(request, "holiday_hours")
            store = self._store(store_id)
            body = self._json(request)
            if not isinstance(body.get("holiday_hours"), dict):
                raise error(400, "invalid_request", "holiday_hours must be a map of dates")
            store["holiday_hours"] = body["holiday_hours"]  # each call overwrites all, as documented
            self.record("holiday_hours", store_id, body)
            return Response(200, {})

    # --- controls ------------------------------------------------------------------

    def configure_app(self, request: Request) -> Response:
        with self.lock:
            body = self._json(request)
            self.client_id = body.get("client_id", self.client_id)
            self.client_secret = body.get("client_secret", self.client_secret)
            self.expires_in = int(body.get("expires_in", self.expires_in))
            return Response(200, {"ok": True})

    def register_store(self, request: Request) -> Response:
        with self.lock:
            body = self._json(request)
            store = {"store_id": body["store_id"], "webhook_url": body.get("webhook_url", ""), "status": "ONLINE",
                     "menu": None, "holiday_hours": {}, "paused_until": None}
            self.stores[body["store_id"]] = store
            return Response(201, store)

    def get_store(self, request: Request, store_id: str) -> Response:
        with self.lock:
            return Response(200, self._store(store_id))

    def create_order(self, request: Request) -> Response:
        """A customer orders one of the corpus' orders (``fixture``); its announcing webhook goes to the store.

        ``orders.notification`` for most, the fixture's own trigger (``orders.scheduled.notification``,
        ``orders.cancel``) for the orders whose meaning depends on it.
        """
        with self.lock:
            body = self._json(request)
            store = self._store(body["store_id"])
            fixture = body.get("fixture", DEFAULT_FIXTURE)
            if fixture not in order_fixtures():
                raise error(400, "invalid_request", f"fixture must be one of {', '.join(order_fixtures())}")
            now = time.time()
            order = build_order(store["store_id"], fixture, datetime.fromtimestamp(now, UTC), body.get("id"))
            self.orders[order["id"]] = order
            self.created_at[order["id"]] = now
            self._notify(store, announcing_event(fixture), order["id"])
            return Response(201, order)

    def scheduled_order_due(self, request: Request, order_id: str) -> Response:
        """A scheduled order, accepted when announced, is due for the kitchen: Uber announces it again with
        ``orders.notification`` and wants it accepted a second time ("all orders that are scheduled must be
        accepted twice, once during the orders.scheduled.notification and again at orders.notification",
        developer.uber.com/docs/eats/guides/order_integration). Until then it waits as CREATED, and expires
        like any order nobody accepts."""
        with self.lock:
            order = self._order(order_id)
            if order["current_state"] != "ACCEPTED":
                raise error(409, "invalid_state", f"Order {order_id} is {order['current_state']}, not ACCEPTED")
            order["current_state"] = "CREATED"
            self.created_at[order_id] = time.time()
            self._notify(self.stores[order["store"]["id"]], NEW_ORDER_EVENT, order_id)
            return Response(200, order)

    def cancel_on_uber(self, request: Request, order_id: str) -> Response:
        """The eater or Uber cancels: the order is CANCELED and ``orders.cancel`` is sent."""
        with self.lock:
            order = self._order(order_id)
            order["current_state"] = "CANCELED"
            self._notify(self.stores[order["store"]["id"]], "orders.cancel", order_id)
            return Response(200, order)

    def age_order(self, request: Request, order_id: str) -> Response:
        """Move the simulated clock for one order: it was placed ``minutes`` earlier than it was."""
        with self.lock:
            minutes = float(self._json(request).get("minutes", 0))
            self._order(order_id)
            self.created_at[order_id] -= minutes * 60
            self._expire(order_id)
            return Response(200, self.orders[order_id])

    def peek_order(self, request: Request, order_id: str) -> Response:
        with self.lock:
            return Response(200, self._order(order_id))

    def revoke_tokens(self, request: Request) -> Response:
        with self.lock:
            self.tokens.clear()
            return Response(200, {"ok": True})

    def add_fault(self, request: Request) -> Response:
        with self.lock:
            return Response(201, self.faults.arm(self._json(request)))

    def stats(self, request: Request) -> Response:
        with self.lock:
            return Response(200, dict(self.counts))

    def _notify(self, store: dict[str, Any], event_type: str, order_id: str) -> None:
        if not store.get("webhook_url"):
            return
        event = build_webhook(event_type, order_id, store["store_id"], int(time.time()), self.base_url)
        body = json.dumps(event, separators=(",", ":")).encode()
        signature = hmac_hex(self.client_secret, body)
        self.sender.send(store["webhook_url"], body, {"X-Uber-Signature": signature, "X-Environment": "sandbox"},
                         event["event_id"])


DENY_CODES = ("STORE_CLOSED", "POS_NOT_READY", "POS_OFFLINE", "ITEM_AVAILABILITY", "MISSING_ITEM", "MISSING_INFO",
              "PRICING", "CAPACITY", "ADDRESS", "SPECIAL_INSTRUCTIONS", "OTHER")
CANCEL_CODES = ("OUT_OF_ITEMS", "KITCHEN_CLOSED", "CUSTOMER_CALLED_TO_CANCEL", "RESTAURANT_TOO_BUSY",
                "CANNOT_COMPLETE_CUSTOMER_NOTE", "OTHER")
