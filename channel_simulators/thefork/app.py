"""The TheFork dialect: routes and in-memory state, shaped by TheFork's B2B pages (docs.thefork.io).

API: ``POST /oauth/token`` (Auth0 client credentials, form-encoded, ``audience=https://api.thefork.io``; the
real host is auth.thefork.io, here one host serves both), ``GET /manager/v1/reservations/{id}``,
``GET /manager/v1/customers/{id}``, ``PATCH /manager/v1/reservations/{id}/cancel`` (no body; 400
``CANCELLATION_ERROR`` once the reservation is over). Errors are ``{"data": {"code"}, "error", "statusCode"}``.
Webhooks are thin (``entityType``, ``uuid``, ``eventType``, ``groupUuid``, ``restaurantUuid``), unsigned, POSTed to
the URL the restaurant gave (its token is in that URL). Reservations are the module's corpus fixtures
(``reservations.py``): ``POST /_control/reservations {"restaurant_uuid", "fixture"}`` books one and sends
``reservationCreated``; ``POST /_control/reservations/{id}/status {"status": "NO_SHOW"}`` is the restaurant (or
the guest) changing it in TheFork Manager and sends ``reservationUpdated``. A cancellation made through the API
sends no webhook (the pages do not say that TheFork echoes a change back to its author).
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
from ..kit.http import HttpError, Request, Response
from .reservations import DEFAULT_FIXTURE, build_reservation, build_webhook, reservation_fixtures

AUDIENCE = "https://api.thefork.io"
TOKEN_SECONDS = 8600
STATUSES = ("REQUESTED", "RECORDED", "CONFIRMED", "REFUSED", "REJECTED", "CANCELED", "NO_SHOW", "ARRIVED", "SEATED",
            "LEFT")
OVER = ("CANCELED", "REFUSED", "REJECTED", "NO_SHOW", "LEFT")
REASONS = {400: "Bad Request", 401: "Unauthorized", 404: "Not Found"}


def refuse(status: int, code: str | None = None) -> HttpError:
    return HttpError(status, {"data": {"code": code} if code else {}, "error": REASONS[status], "statusCode": status})


class TheForkSimulator(DialectSimulator):
    name = "thefork"

    def __init__(self) -> None:
        self.faults = FaultBook(scope_key="operation")
        super().__init__([
            route("POST", "/oauth/token", self.token),
            route("GET", "/manager/v1/reservations/<reservation_id>", self.get_reservation),
            route("GET", "/manager/v1/customers/<customer_id>", self.get_customer),
            route("PATCH", "/manager/v1/reservations/<reservation_id>/cancel", self.cancel),
            route("POST", "/_control/app", self.configure_app),
            route("POST", "/_control/restaurants", self.register_restaurant),
            route("POST", "/_control/reservations", self.book),
            route("GET", "/_control/reservations/<reservation_id>", self.peek),
            route("POST", "/_control/reservations/<reservation_id>/status", self.change_on_thefork),
            route("POST", "/_control/faults", self.add_fault),
            route("GET", "/_control/stats", self.stats),
        ])

    def wipe(self) -> None:
        super().wipe()
        self.client_id, self.client_secret = "", ""
        self.tokens: dict[str, float] = {}
        self.restaurants: dict[str, dict[str, Any]] = {}
        self.reservations: dict[str, dict[str, Any]] = {}
        self.customers: dict[str, dict[str, Any]] = {}
        self.faults.clear()
        self.counts: dict[str, int] = {}

    # --- plumbing ----------------------------------------------------------------

    def _authorize(self, request: Request, operation: str) -> None:
        self.counts[operation] = self.counts.get(operation, 0) + 1
        fault = self.faults.take(operation)
        if fault is not None:
            raise injected(int(fault.get("status", 500)), "simulated_fault", "injected fault",
                           retry_after=fault.get("retry_after") or None)
        header = request.headers.get("authorization", "")
        token = header[7:] if header.startswith("Bearer ") else ""
        expires = self.tokens.get(token)
        if expires is None or expires < time.time():
            raise refuse(401)

    def _reservation(self, reservation_id: str) -> dict[str, Any]:
        reservation = self.reservations.get(reservation_id)
        if reservation is None:
            raise refuse(404, "RESERVATION_NOT_FOUND")
        return reservation

    def _json(self, request: Request) -> dict[str, Any]:
        data = request.json(empty={})
        if not isinstance(data, dict):
            raise refuse(400)
        return data

    def _notify(self, event_type: str, reservation: dict[str, Any]) -> None:
        restaurant = self.restaurants.get(reservation["restaurantUuid"]) or {}
        if not restaurant.get("webhook_url"):
            return
        event = build_webhook(event_type, reservation, restaurant.get("group_uuid", ""))
        body = json.dumps(event, separators=(",", ":")).encode()
        self.sender.send(restaurant["webhook_url"], body, {}, f"{event_type}:{reservation['reservationUuid']}")

    # --- API ---------------------------------------------------------------------

    def token(self, request: Request) -> Response:
        with self.lock:
            self.counts["oauth_token"] = self.counts.get("oauth_token", 0) + 1
            form = request.form()
            if form.get("grant_type") != "client_credentials" or form.get("audience") != AUDIENCE:
                raise HttpError(403, {"error": "access_denied", "error_description": "Service not enabled"})
            if not self.client_id or form.get("client_id") != self.client_id or not hmac.compare_digest(
                form.get("client_secret", ""), self.client_secret
            ):
                raise HttpError(401, {"error": "access_denied", "error_description": "Unauthorized"})
            token = secrets.token_urlsafe(24)
            self.tokens[token] = time.time() + TOKEN_SECONDS
            return Response(200, {"access_token": token, "expires_in": TOKEN_SECONDS, "token_type": "Bearer"})

    def get_reservation(self, request: Request, reservation_id: str) -> Response:
        with self.lock:
            self._authorize(request, "get_reservation")
            return Response(200, self._reservation(reservation_id))

    def get_customer(self, request: Request, customer_id: str) -> Response:
        with self.lock:
            self._authorize(request, "get_customer")
            customer = self.customers.get(customer_id)
            if customer is None:
                raise refuse(404, "CUSTOMER_NOT_FOUND")
            return Response(200, customer)

    def cancel(self, request: Request, reservation_id: str) -> Response:
        with self.lock:
            self._authorize(request, "cancel")
            reservation = self._reservation(reservation_id)
            if reservation["status"] in OVER:
                raise refuse(400, "CANCELLATION_ERROR")
            reservation["status"] = "CANCELED"
            self.record("cancel", reservation["restaurantUuid"], request.json(empty=None),
                        reservation_id=reservation_id)
            return Response(200, {key: reservation[key] for key in (
                "reservationUuid", "restaurantUuid", "mealDate", "partySize", "status", "offerUuid", "customerNote",
                "customerUuid") if key in reservation})

    # --- controls ------------------------------------------------------------------

    def configure_app(self, request: Request) -> Response:
        with self.lock:
            body = self._json(request)
            self.client_id = body.get("client_id", self.client_id)
            self.client_secret = body.get("client_secret", self.client_secret)
            return Response(200, {"ok": True})

    def register_restaurant(self, request: Request) -> Response:
        with self.lock:
            body = self._json(request)
            restaurant = {"restaurant_uuid": body["restaurant_uuid"], "group_uuid": body.get("group_uuid", ""),
                          "webhook_url": body.get("webhook_url", "")}
            self.restaurants[restaurant["restaurant_uuid"]] = restaurant
            return Response(201, restaurant)

    def book(self, request: Request) -> Response:
        """A guest books one of the corpus' reservations (``fixture``); ``reservationCreated`` goes out."""
        with self.lock:
            body = self._json(request)
            restaurant = self.restaurants.get(body.get("restaurant_uuid", ""))
            if restaurant is None:
                raise refuse(404, "RESTAURANT_NOT_FOUND")
            fixture = body.get("fixture", DEFAULT_FIXTURE)
            if fixture not in reservation_fixtures():
                raise HttpError(400, {"data": {"fixtures": reservation_fixtures()}, "error": "Bad Request",
                                      "statusCode": 400})
            reservation, customer = build_reservation(fixture, restaurant["restaurant_uuid"], datetime.now(UTC),
                                                      body.get("id"))
            self.reservations[reservation["reservationUuid"]] = reservation
            if customer is not None:
                self.customers[customer["customerUuid"]] = customer
            self._notify("reservationCreated", reservation)
            return Response(201, reservation)

    def peek(self, request: Request, reservation_id: str) -> Response:
        with self.lock:
            return Response(200, self._reservation(reservation_id))

    def change_on_thefork(self, request: Request, reservation_id: str) -> Response:
        """The restaurant (in TheFork Manager) or the guest changes the reservation: ``reservationUpdated``."""
        with self.lock:
            reservation = self._reservation(reservation_id)
            status = self._json(request).get("status")
            if status not in STATUSES:
                raise HttpError(400, {"data": {"statuses": list(STATUSES)}, "error": "Bad Request",
                                      "statusCode": 400})
            reservation["status"] = status
            self._notify("reservationUpdated", reservation)
            return Response(200, reservation)

    def add_fault(self, request: Request) -> Response:
        with self.lock:
            return Response(201, self.faults.arm(self._json(request)))

    def stats(self, request: Request) -> Response:
        with self.lock:
            return Response(200, dict(self.counts))
