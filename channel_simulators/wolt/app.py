"""The Wolt dialect: Order, Menu and Venue APIs, per-venue OAuth with rotating refresh tokens, signed notifications.

API (as documented on developer.wolt.com; see docs/channels/wolt.md): ``POST /oauth2/token`` (``grant_type=
refresh_token``: a new access token and a new refresh token; a spent refresh token revokes the pair it was
exchanged for), ``GET /v2/orders/{id}``, ``PUT /orders/{id}/accept | self-delivery/accept | confirm-preorder |
reject | ready | delivered``, ``PUT /orders/{id}/delivery/tracking/location``, ``POST /v1/restaurants/{venue}/menu``,
``PATCH /venues/{venue}/items``, ``PATCH /venues/{venue}/options/values``, ``GET|PATCH /venues/{venue}/status``,
``PATCH /venues/{venue}/opening-times``, ``PUT /venues/{venue}/special-opening-times``. Errors are
``{error_code, reason, details}``. Notifications are thin, signed with ``WOLT-SIGNATURE`` (hex HMAC-SHA256 of the
body with the webhook secret) and sent again up to 3 times until a 200. Orders and notifications are the module's
corpus fixtures (``orders.py``): ``POST /_control/orders {"venue_id", "fixture": "get_order_takeaway"}``.
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
from ..kit.webhooks import WebhookSender, hmac_hex
from .orders import DEFAULT_FIXTURE, build_notification, build_order, order_fixtures

ACCESS_LIFETIME = 3600
DAYS = {"MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"}


def error(status: int, code: str, reason: str) -> ApiError:
    return ApiError(status, code, reason)


class WoltSimulator(DialectSimulator):
    name = "wolt"

    def __init__(self) -> None:
        self.faults = FaultBook(scope_key="operation")
        super().__init__([
            route("POST", "/oauth2/token", self.token),
            route("GET", "/v2/orders/<order_id>", self.get_order),
            route("PUT", "/orders/<order_id>/accept", self.accept),
            route("PUT", "/orders/<order_id>/self-delivery/accept", self.accept_self_delivery),
            route("PUT", "/orders/<order_id>/confirm-preorder", self.confirm_preorder),
            route("PUT", "/orders/<order_id>/reject", self.reject),
            route("PUT", "/orders/<order_id>/ready", self.ready),
            route("PUT", "/orders/<order_id>/delivered", self.delivered),
            route("PUT", "/orders/<order_id>/delivery/tracking/location", self.location),
            route("POST", "/v1/restaurants/<venue_id>/menu", self.menu),
            route("PATCH", "/venues/<venue_id>/items", self.items),
            route("PATCH", "/venues/<venue_id>/options/values", self.option_values),
            route("GET", "/venues/<venue_id>/status", self.venue_status),
            route("PATCH", "/venues/<venue_id>/status", self.set_online),
            route("PATCH", "/venues/<venue_id>/opening-times", self.opening_times),
            route("PUT", "/venues/<venue_id>/special-opening-times", self.special_times),
            route("POST", "/_control/app", self.configure_app),
            route("POST", "/_control/venues", self.register_venue),
            route("GET", "/_control/venues/<venue_id>", self.get_venue),
            route("POST", "/_control/orders", self.create_order),
            route("GET", "/_control/orders/<order_id>", self.peek_order),
            route("POST", "/_control/orders/<order_id>/cancel", self.cancel_on_wolt),
            route("POST", "/_control/orders/<order_id>/start", self.start_preorder),
            route("POST", "/_control/orders/<order_id>/courier", self.courier),
            route("POST", "/_control/tokens/expire", self.expire_tokens),
            route("POST", "/_control/faults", self.add_fault),
            route("GET", "/_control/stats", self.stats),
        ])
        # Wolt retries a notification 3 times, 5 s apart (3P): four sends in all, scaled down for tests.
        self.sender = WebhookSender(max_sends=4, backoff_scale=0.02)

    def error_body(self, code: str, message: str) -> Any:
        return {"error_code": code, "reason": message, "details": {}}

    def wipe(self) -> None:
        super().wipe()
        self.client_id, self.client_secret, self.webhook_secret = "", "", ""
        self.access: dict[str, tuple[str, float]] = {}
        self.refresh: dict[str, dict[str, str | None]] = {}
        """refresh token → its venue, and once spent the access and refresh tokens it was exchanged for."""
        self.venues: dict[str, dict[str, Any]] = {}
        self.orders: dict[str, dict[str, Any]] = {}
        self.faults.clear()
        self.counts: dict[str, int] = {}

    # --- plumbing ----------------------------------------------------------------------

    def _count(self, what: str) -> None:
        self.counts[what] = self.counts.get(what, 0) + 1

    def _authorize(self, request: Request, operation: str, venue_id: str | None = None) -> str:
        self._count(operation)
        fault = self.faults.take(operation)
        if fault is not None:
            raise injected(int(fault.get("status", 500)), "simulated_fault", "injected fault",
                           retry_after=fault.get("retry_after") or None)
        header = request.headers.get("authorization", "")
        token = header[7:] if header.startswith("Bearer ") else ""
        venue, expires = self.access.get(token, ("", 0.0))
        if not venue or expires < time.time():
            raise error(401, "UNAUTHORIZED", "invalid or expired access token")
        if venue_id is not None and venue != venue_id:
            raise error(403, "FORBIDDEN", f"the token is for venue {venue}, not {venue_id}")
        return venue

    def _json(self, request: Request) -> dict[str, Any]:
        data = request.json(empty={})
        if not isinstance(data, dict):
            raise error(400, "INVALID_PAYLOAD", "the body must be a JSON object")
        return data

    def _venue(self, venue_id: str) -> dict[str, Any]:
        venue = self.venues.get(venue_id)
        if venue is None:
            raise error(404, "VENUE_NOT_FOUND", f"venue {venue_id} does not exist")
        return venue

    def _order(self, request: Request, order_id: str, operation: str) -> dict[str, Any]:
        order = self.orders.get(order_id)
        venue = self._authorize(request, operation)
        if order is None or order["venue"]["id"] != venue:
            raise error(404, "ORDER_NOT_FOUND", f"order {order_id} does not exist")
        return order

    def _notify(self, order: dict[str, Any], kind: str = "order.notification", **fields: Any) -> None:
        venue = self.venues.get(order["venue"]["id"]) or {}
        if not venue.get("webhook_url"):
            return
        note = build_notification(kind, order, self.base_url, datetime.now(UTC), **fields)
        body = json.dumps(note, separators=(",", ":")).encode()
        self.sender.send(venue["webhook_url"], body, {"WOLT-SIGNATURE": hmac_hex(self.webhook_secret, body)},
                         note["id"])

    # --- OAuth ---------------------------------------------------------------------------

    def token(self, request: Request) -> Response:
        with self.lock:
            self._count("oauth_token")
            form = request.form()
            if form.get("grant_type") != "refresh_token":
                raise HttpError(400, {"error": "unsupported_grant_type"})
            if not self.client_id or form.get("client_id") != self.client_id or not hmac.compare_digest(
                    form.get("client_secret", ""), self.client_secret):
                raise HttpError(401, {"error": "invalid_client"})
            given = form.get("refresh_token", "")
            if given not in self.refresh:
                raise HttpError(400, {"error": "invalid_grant", "error_description": "unknown refresh token"})
            spent = self.refresh[given]
            if spent["access"] is not None:
                # Reused: "will immediately deactivate and revoke the newly issued access and refresh tokens".
                self.access.pop(spent["access"], None)
                self.refresh.pop(spent["next"] or "", None)
                self._count("refresh_token_reused")
                raise HttpError(400, {"error": "invalid_grant", "error_description": "refresh token already used"})
            venue = str(spent["venue"])
            access, new_refresh = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
            self.access[access] = (venue, time.time() + ACCESS_LIFETIME)
            spent.update(access=access, next=new_refresh)
            self.refresh[new_refresh] = {"venue": venue, "access": None, "next": None}
            return Response(200, {"access_token": access, "token_type": "Bearer", "expires_in": ACCESS_LIFETIME,
                                  "refresh_token": new_refresh, "scope": "offline"})

    # --- orders ----------------------------------------------------------------------------

    def get_order(self, request: Request, order_id: str) -> Response:
        with self.lock:
            return Response(200, self._order(request, order_id, "get_order"))

    def _move(self, request: Request, order_id: str, operation: str, allowed: tuple[str, ...], status: str,
              notify: str | None, check: Any = None) -> Response:
        with self.lock:
            order = self._order(request, order_id, operation)
            body = self._json(request)
            if order["order_status"] not in allowed:
                raise error(409, "INVALID_ORDER_STATUS", f"order {order_id} is {order['order_status']}")
            if check is not None:
                check(order, body)
            order["order_status"] = status
            self.record(operation, order["venue"]["id"], body, order_id=order_id)
            if notify:
                self._notify(order, status=notify)
            return Response(200)

    @staticmethod
    def _instant_only(self_delivery: bool) -> Any:
        def check(order: dict[str, Any], body: dict[str, Any]) -> None:
            if order["type"] == "preorder":
                raise error(409, "INVALID_ORDER_TYPE", "a pre-order is confirmed (confirm-preorder); Wolt accepts it")
            if bool(order["delivery"].get("self_delivery")) != self_delivery:
                raise error(409, "INVALID_ORDER_TYPE", "self-delivery orders are accepted with self-delivery/accept"
                            if not self_delivery else "this order is not delivered by the venue")
        return check

    def accept(self, request: Request, order_id: str) -> Response:
        return self._move(request, order_id, "accept", ("RECEIVED",), "PRODUCTION", "PRODUCTION",
                          self._instant_only(False))

    def accept_self_delivery(self, request: Request, order_id: str) -> Response:
        return self._move(request, order_id, "self_delivery_accept", ("RECEIVED",), "PRODUCTION", "PRODUCTION",
                          self._instant_only(True))

    def confirm_preorder(self, request: Request, order_id: str) -> Response:
        def check(order: dict[str, Any], body: dict[str, Any]) -> None:
            if order["type"] != "preorder":
                raise error(409, "INVALID_ORDER_TYPE", "only a pre-order is confirmed")
        return self._move(request, order_id, "confirm_preorder", ("RECEIVED",), "ACKNOWLEDGED", None, check)

    def reject(self, request: Request, order_id: str) -> Response:
        def check(order: dict[str, Any], body: dict[str, Any]) -> None:
            if not isinstance(body.get("reason"), str) or not body["reason"].strip():
                raise error(400, "INVALID_PAYLOAD", "reason is required")
        return self._move(request, order_id, "reject", ("RECEIVED", "ACKNOWLEDGED"), "REJECTED", "CANCELED", check)

    def ready(self, request: Request, order_id: str) -> Response:
        return self._move(request, order_id, "ready", ("PRODUCTION",), "READY", "READY")

    def delivered(self, request: Request, order_id: str) -> Response:
        def check(order: dict[str, Any], body: dict[str, Any]) -> None:
            delivery = order["delivery"]
            if delivery["type"] == "homedelivery" and not delivery.get("self_delivery"):
                raise error(409, "INVALID_ORDER_TYPE", "Wolt's courier marks its deliveries delivered")
        return self._move(request, order_id, "delivered", ("PRODUCTION", "READY"), "DELIVERED", "DELIVERED", check)

    def location(self, request: Request, order_id: str) -> Response:
        with self.lock:
            order = self._order(request, order_id, "location")
            body = self._json(request)
            if not order["delivery"].get("self_delivery"):
                raise error(409, "INVALID_ORDER_TYPE", "only the venue's own courier reports a location")
            if not all(isinstance(body.get(key), int | float) for key in ("latitude", "longitude")):
                raise error(400, "INVALID_PAYLOAD", "latitude and longitude are numbers")
            self.record("location", order["venue"]["id"], body, order_id=order_id)
            return Response(200)

    # --- menu and venue --------------------------------------------------------------------

    def menu(self, request: Request, venue_id: str) -> Response:
        with self.lock:
            self._authorize(request, "menu", venue_id)
            venue = self._venue(venue_id)
            body = self._json(request)
            for key in ("currency", "primary_language", "categories"):
                if not body.get(key):
                    raise error(400, "INVALID_PAYLOAD", f"{key} is required")
            venue["menu"] = body
            self.record("menu", venue_id, body)
            return Response(202)

    def _availability(self, request: Request, venue_id: str, operation: str) -> Response:
        with self.lock:
            self._authorize(request, operation, venue_id)
            venue = self._venue(venue_id)
            body = self._json(request)
            if not isinstance(body.get("data"), list) or not body["data"]:
                raise error(400, "INVALID_PAYLOAD", "data must be a non-empty list")
            for entry in body["data"]:
                venue["in_stock"][entry["external_id"]] = bool(entry["in_stock"])
            self.record(operation, venue_id, body)
            return Response(202)

    def items(self, request: Request, venue_id: str) -> Response:
        return self._availability(request, venue_id, "items")

    def option_values(self, request: Request, venue_id: str) -> Response:
        return self._availability(request, venue_id, "option_values")

    def venue_status(self, request: Request, venue_id: str) -> Response:
        with self.lock:
            self._authorize(request, "venue_status", venue_id)
            venue = self._venue(venue_id)
            return Response(200, {"status": {"is_online": venue["is_online"], "is_open": venue["is_online"]},
                                  "opening_times": venue["opening_times"], "special_times": venue["special_times"]})

    def set_online(self, request: Request, venue_id: str) -> Response:
        with self.lock:
            self._authorize(request, "venue_online", venue_id)
            venue = self._venue(venue_id)
            body = self._json(request)
            if not isinstance(body.get("is_online"), bool):
                raise error(400, "INVALID_PAYLOAD", "is_online must be true or false")
            venue["is_online"] = body["is_online"]
            self.record("venue_online", venue_id, body)
            return Response(200)

    def opening_times(self, request: Request, venue_id: str) -> Response:
        with self.lock:
            self._authorize(request, "opening_times", venue_id)
            venue = self._venue(venue_id)
            body = self._json(request)
            periods = body.get("availability")
            if not isinstance(periods, list):
                raise error(400, "INVALID_PAYLOAD", "availability must be a list")
            for period in periods:
                if period.get("opening_day") not in DAYS or period.get("closing_day") not in DAYS:
                    raise error(400, "INVALID_PAYLOAD", "opening_day and closing_day are MONDAY...SUNDAY")
            venue["opening_times"] = periods
            self.record("opening_times", venue_id, body)
            return Response(200)

    def special_times(self, request: Request, venue_id: str) -> Response:
        with self.lock:
            self._authorize(request, "special_times", venue_id)
            venue = self._venue(venue_id)
            body = self._json(request)
            if not isinstance(body.get("special_times"), list):
                raise error(400, "INVALID_PAYLOAD", "special_times must be a list")
            venue["special_times"] = body["special_times"]
            self.record("special_times", venue_id, body)
            return Response(200)

    # --- controls ------------------------------------------------------------------------------

    def configure_app(self, request: Request) -> Response:
        with self.lock:
            body = self._json(request)
            self.client_id = body.get("client_id", self.client_id)
            self.client_secret = body.get("client_secret", self.client_secret)
            self.webhook_secret = body.get("webhook_secret", self.webhook_secret)
            return Response(200, {"ok": True})

    def register_venue(self, request: Request) -> Response:
        """A venue connects (the SSIO consent): its first refresh token, and where its notifications go."""
        with self.lock:
            body = self._json(request)
            venue_id = body["venue_id"]
            self.venues[venue_id] = {"venue_id": venue_id, "webhook_url": body.get("webhook_url", ""),
                                     "is_online": True, "menu": None, "in_stock": {}, "opening_times": [],
                                     "special_times": []}
            refresh = body.get("refresh_token") or secrets.token_urlsafe(24)
            self.refresh[refresh] = {"venue": venue_id, "access": None, "next": None}
            return Response(201, {**self.venues[venue_id], "refresh_token": refresh})

    def get_venue(self, request: Request, venue_id: str) -> Response:
        with self.lock:
            return Response(200, self._venue(venue_id))

    def create_order(self, request: Request) -> Response:
        """A customer orders one of the corpus' orders; the CREATED notification goes to the venue."""
        with self.lock:
            body = self._json(request)
            venue = self._venue(body["venue_id"])
            fixture = body.get("fixture", DEFAULT_FIXTURE)
            if fixture not in order_fixtures():
                raise error(400, "INVALID_PAYLOAD", f"fixture must be one of {', '.join(order_fixtures())}")
            order = build_order(venue["venue_id"], fixture, datetime.now(UTC), body.get("id"))
            self.orders[order["id"]] = order
            self._notify(order, status="CREATED")
            return Response(201, order)

    def peek_order(self, request: Request, order_id: str) -> Response:
        with self.lock:
            order = self.orders.get(order_id)
            if order is None:
                raise error(404, "ORDER_NOT_FOUND", f"order {order_id} does not exist")
            return Response(200, order)

    def cancel_on_wolt(self, request: Request, order_id: str) -> Response:
        """The customer or Wolt Support cancels: REJECTED, and the CANCELED notification."""
        with self.lock:
            order = self.peek_order(request, order_id).body
            order["order_status"] = "REJECTED"
            self._notify(order, status="CANCELED")
            return Response(200, order)

    def start_preorder(self, request: Request, order_id: str) -> Response:
        """Time to prepare a confirmed pre-order: Wolt accepts it itself (PRODUCTION)."""
        with self.lock:
            order = self.peek_order(request, order_id).body
            if order["order_status"] != "ACKNOWLEDGED":
                raise error(409, "INVALID_ORDER_STATUS", f"order {order_id} is {order['order_status']}")
            order["order_status"] = "PRODUCTION"
            self._notify(order, status="PRODUCTION")
            return Response(200, order)

    def courier(self, request: Request, order_id: str) -> Response:
        """Wolt's courier approaches (``{"stage": "arrival", "pickup_eta"}``) or picked up (``"pickup_completed"``)."""
        with self.lock:
            order = self.peek_order(request, order_id).body
            body = self._json(request)
            if body.get("stage") == "pickup_completed":
                self._notify(order, "pickup_completed.notification")
            else:
                self._notify(order, "courier.notification", pickup_eta=body.get("pickup_eta") or order["pickup_eta"])
            return Response(200, {"ok": True})

    def expire_tokens(self, request: Request) -> Response:
        with self.lock:
            self.access.clear()
            return Response(200, {"ok": True})

    def add_fault(self, request: Request) -> Response:
        with self.lock:
            return Response(201, self.faults.arm(self._json(request)))

    def stats(self, request: Request) -> Response:
        with self.lock:
            return Response(200, dict(self.counts))
