"""The Deliveroo dialect: OAuth tokens of 5 minutes, the Order, Menu and Site APIs, signed webhooks back.

API (as documented on api-docs.deliveroo.com; module docstring and docs/channels/deliveroo.md): ``POST
/oauth2/token`` (client credentials, Basic authorization), ``PATCH /order/v1/orders/{id}`` (placed → accepted /
rejected once per order, accepted → confirmed for scheduled orders only; 204; 409 otherwise),
``POST /order/v1/orders/{id}/prep_stage``, ``PUT /menu/v1/brands/{brand}/menus/{menu}`` (its result follows by
the menu webhook), ``POST …/item_unavailabilities/{site}``, and under ``/site/v1/brands/{brand}/sites/{site}``:
``opening_hours``, ``status`` (OPEN / CLOSED), ``days_off`` (add; list, ``upcoming=true`` for the ones not
cancelled and not over, pages of ``page_size`` ≤ 50 as a JSON array; cancel by ``days_off_id``, never a
``FORCED_CLOSURE``). Errors are ``{"error": {code, message}}``. A site registered with ``"menu_results": false``
takes uploads and never sends their Menu webhook (a lost result, for the platform's timeout); with
``"menu_errors": [...]`` its uploads fail with those errors; ``"days_off": [...]`` are already on the site (a
``FORCED_CLOSURE`` among them, say). ``POST /_control/orders`` takes ``placed_minutes_ago`` (an order the
restaurant sees late).
Webhooks carry ``X-Deliveroo-Sequence-Guid`` (sequential) and ``X-Deliveroo-Hmac-Sha256``, the hex HMAC-SHA256
of ``guid + " " + body`` keyed with the site's webhook secret. Orders and rider events are the module's corpus
fixtures (``orders.py``): ``POST /_control/orders {"site_id", "fixture": "webhook_order_new_scheduled"}``.
"""

from __future__ import annotations

import base64
import hmac
import itertools
import json
import secrets
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from ..kit.app import route
from ..kit.dialect import DialectSimulator
from ..kit.http import ApiError, HttpError, Request, Response
from ..kit.webhooks import hmac_hex
from .orders import DEFAULT_ORDER, DEFAULT_RIDER, build_order, build_rider_event

TOKEN_SECONDS = 300
REJECT_REASONS = ("closing_early", "busy", "ingredient_unavailable", "other")
PREP_STAGES = ("in_kitchen", "ready_for_collection_soon", "ready_for_collection", "collected")


class DeliverooSimulator(DialectSimulator):
    name = "deliveroo"

    def __init__(self) -> None:
        super().__init__([
            route("POST", "/oauth2/token", self.token),
            route("PATCH", "/order/v1/orders/<order_id>", self.patch_order),
            route("POST", "/order/v1/orders/<order_id>/prep_stage", self.prep_stage),
            route("PUT", "/menu/v1/brands/<brand_id>/menus/<menu_id>", self.upload_menu),
            route("POST", "/menu/v1/brands/<brand_id>/menus/<menu_id>/item_unavailabilities/<site_id>",
                  self.item_unavailabilities),
            route("POST", "/site/v1/brands/<brand_id>/sites/<site_id>/opening_hours", self.opening_hours),
            route("PUT", "/site/v1/brands/<brand_id>/sites/<site_id>/status", self.site_status),
            route("POST", "/site/v1/brands/<brand_id>/sites/<site_id>/days_off", self.add_day_off),
            route("GET", "/site/v1/brands/<brand_id>/sites/<site_id>/days_off", self.list_days_off),
            route("DELETE", "/site/v1/brands/<brand_id>/sites/<site_id>/days_off/<days_off_id>", self.cancel_day_off),
            route("POST", "/_control/app", self.configure_app),
            route("POST", "/_control/sites", self.register_site),
            route("GET", "/_control/sites/<site_id>", self.get_site),
            route("POST", "/_control/orders", self.create_order),
            route("GET", "/_control/orders/<order_id>", self.peek_order),
            route("POST", "/_control/orders/<order_id>/riders", self.rider_update),
            route("POST", "/_control/orders/<order_id>/cancel", self.cancel_order),
            route("GET", "/_control/stats", self.stats),
        ])

    def error_body(self, code: str, message: str) -> Any:
        return {"error": {"code": code, "message": message}}

    def wipe(self) -> None:
        super().wipe()
        self.client_id, self.client_secret = "", ""
        self.tokens: dict[str, float] = {}
        self.sites: dict[str, dict[str, Any]] = {}
        self.orders: dict[str, dict[str, Any]] = {}
        self.order_site: dict[str, str] = {}
        self.counts: dict[str, int] = {}
        self.guids = itertools.count(1_700_000_001)

    # --- plumbing ----------------------------------------------------------------------

    def _count(self, what: str) -> None:
        self.counts[what] = self.counts.get(what, 0) + 1

    def _authorize(self, request: Request, operation: str) -> None:
        self._count(operation)
        header = request.headers.get("authorization", "")
        token = header[7:] if header.startswith("Bearer ") else ""
        expires = self.tokens.get(token)
        if expires is None or expires < time.time():
            raise ApiError(401, "unauthorized", "The provided API key and API token is invalid or disabled.")

    def _json(self, request: Request) -> dict[str, Any]:
        data = request.json(empty={})
        if not isinstance(data, dict):
            raise ApiError(400, "bad_request", "the body must be a JSON object")
        return data

    def _site(self, brand_id: str, site_id: str) -> dict[str, Any]:
        site = self.sites.get(site_id)
        if site is None or site["brand_id"] != brand_id:
            raise ApiError(404, "not_found", f"site {site_id} of brand {brand_id} does not exist")
        return site

    def _order(self, order_id: str) -> dict[str, Any]:
        order = self.orders.get(order_id)
        if order is None:
            raise ApiError(404, "not_found", f"order {order_id} does not exist")
        return order

    def _move(self, order: dict[str, Any], status: str) -> None:
        order["status"] = status
        order["status_log"].append({"at": datetime.now(UTC).isoformat().replace("+00:00", "Z"), "status": status})

    def _send(self, site: dict[str, Any], payload: dict[str, Any], payload_type: str) -> None:
        if not site.get("webhook_url"):
            return
        body = json.dumps(payload, separators=(",", ":")).encode()
        guid = str(next(self.guids))
        signature = hmac_hex(site["webhook_secret"], guid.encode() + b" " + body)
        self.sender.send(site["webhook_url"], body, {
            "X-Deliveroo-Sequence-Guid": guid, "X-Deliveroo-Hmac-Sha256": signature,
            "X-Deliveroo-Payload-Type": payload_type, "X-Deliveroo-Webhook-Version": "1"}, guid)

    def _order_event(self, order_id: str, event: str) -> None:
        site = self.sites[self.order_site[order_id]]
        self._send(site, {"event": event, "body": {"order": self.orders[order_id]}}, f"event/{event}")

    # --- API -----------------------------------------------------------------------------

    def token(self, request: Request) -> Response:
        with self.lock:
            self._count("oauth_token")
            if request.form().get("grant_type") != "client_credentials":
                raise HttpError(400, {"error": "unsupported_grant_type"})
            header = request.headers.get("authorization", "")
            try:
                client_id, _, secret = base64.b64decode(header[6:]).decode().partition(":")
            except ValueError:
                client_id, secret = "", ""
            if not header.startswith("Basic ") or not self.client_id or client_id != self.client_id \
                    or not hmac.compare_digest(secret, self.client_secret):
                raise HttpError(401, {"error": "invalid_client"})
            token = secrets.token_urlsafe(24)
            self.tokens[token] = time.time() + TOKEN_SECONDS
            return Response(200, {"access_token": token, "expires_in": TOKEN_SECONDS, "token_type": "Bearer"})

    def patch_order(self, request: Request, order_id: str) -> Response:
        with self.lock:
            self._authorize(request, "patch_order")
            order = self._order(order_id)
            body = self._json(request)
            status = body.get("status")
            allowed = {"placed": ("accepted", "rejected"), "accepted": ("confirmed",)}.get(order["status"], ())
            if status not in allowed:
                raise ApiError(409, "conflict", f"order {order_id} is {order['status']}: cannot move to {status}")
            if status == "confirmed" and order.get("asap", True):
                raise ApiError(400, "bad_request", "confirmed only applies to scheduled orders")
            if status == "rejected" and body.get("reject_reason") not in REJECT_REASONS:
                raise ApiError(400, "bad_request", "reject_reason must be one of " + ", ".join(REJECT_REASONS))
            self._move(order, status)
            self.record("patch_order", self.order_site[order_id], body, order_id=order_id,
                        before_confirm_at=bool(order.get("confirm_at")) and datetime.now(UTC) < datetime.fromisoformat(
                            order["confirm_at"].replace("Z", "+00:00")))
            self._order_event(order_id, "order.status_update")
            return Response(204)

    def prep_stage(self, request: Request, order_id: str) -> Response:
        with self.lock:
            self._authorize(request, "prep_stage")
            self._order(order_id)
            body = self._json(request)
            if body.get("stage") not in PREP_STAGES or not body.get("occurred_at"):
                raise ApiError(400, "bad_request", "stage must be one of " + ", ".join(PREP_STAGES)
                               + " with occurred_at")
            self.record("prep_stage", self.order_site[order_id], body, order_id=order_id)
            return Response(200, {})

    def upload_menu(self, request: Request, brand_id: str, menu_id: str) -> Response:
        with self.lock:
            self._authorize(request, "upload_menu")
            body = self._json(request)
            menu, site_ids = body.get("menu"), body.get("site_ids")
            if not body.get("name") or not isinstance(menu, dict) or not isinstance(site_ids, list):
                raise ApiError(400, "bad_request", "name, menu and site_ids are required")
            sites = [self._site(brand_id, site_id) for site_id in site_ids]
            ids = {item["id"] for item in menu.get("items", [])}
            errors = [f"category {c['id']} lists unknown item {i}" for c in menu.get("categories", [])
                      for i in c.get("item_ids", []) if i not in ids]
            errors += [error for site in sites for error in site.get("menu_errors", [])]
            for site in sites:
                site["menu"] = None if errors else menu
                site["menu_id"] = menu_id
                site["unavailable"] = {}
                if not site.get("menu_results", True):
                    continue
                self._send(site, {"event": "menu.upload_result", "body": {
                    "brand_id": brand_id, "menu_id": menu_id, "status": "failed" if errors else "succeeded",
                    "errors": errors}}, "webhook_menu")
            self.record("upload_menu", ",".join(site_ids), body, menu_id=menu_id)
            return Response(200, {})

    def item_unavailabilities(self, request: Request, brand_id: str, menu_id: str, site_id: str) -> Response:
        with self.lock:
            self._authorize(request, "item_unavailabilities")
            site = self._site(brand_id, site_id)
            body = self._json(request)
            items = {item["id"] for item in (site.get("menu") or {}).get("items", [])}
            listed = body.get("item_unavailabilities")
            if not isinstance(listed, list):
                raise ApiError(400, "bad_request", "item_unavailabilities must be a list")
            unknown = [entry.get("item_id") for entry in listed if entry.get("item_id") not in items]
            if unknown:  # "If any item ID in the request is not found in the menu, the entire request fails"
                raise ApiError(404, "not_found", f"items not on the menu: {unknown}")
            for entry in listed:
                if entry.get("status") not in ("available", "unavailable", "hidden"):
                    raise ApiError(400, "bad_request", "status must be available, unavailable or hidden")
                site["unavailable"][entry["item_id"]] = entry["status"]
            self.record("item_unavailabilities", site_id, body)
            return Response(200, {})

    def opening_hours(self, request: Request, brand_id: str, site_id: str) -> Response:
        with self.lock:
            self._authorize(request, "opening_hours")
            site = self._site(brand_id, site_id)
            body = self._json(request)
            hours = body.get("opening_hours")
            if not isinstance(hours, dict):
                raise ApiError(400, "bad_request", "opening_hours is required")
            site["opening_hours"] = hours  # each call overwrites all
            self.record("opening_hours", site_id, body)
            return Response(200, body)

    def site_status(self, request: Request, brand_id: str, site_id: str) -> Response:
        with self.lock:
            self._authorize(request, "site_status")
            site = self._site(brand_id, site_id)
            body = self._json(request)
            if body.get("status") not in ("OPEN", "CLOSED", "READY_TO_OPEN"):
                raise ApiError(400, "bad_request", "status must be OPEN, CLOSED or READY_TO_OPEN")
            site["status"] = body["status"]
            self.record("site_status", site_id, body)
            return Response(200, {})

    def add_day_off(self, request: Request, brand_id: str, site_id: str) -> Response:
        with self.lock:
            self._authorize(request, "days_off")
            site = self._site(brand_id, site_id)
            body = self._json(request)
            for key in ("local_start_time", "local_end_time"):
                try:
                    datetime.strptime(str(body.get(key)), "%Y-%m-%d %H:%M")
                except ValueError:
                    raise ApiError(400, "bad_request", f"{key} must be 'YYYY-MM-DD HH:MM'") from None
            day_off = {"days_off_id": f"{site_id}:{len(site['days_off']) + 1}", **body, "cancelled_at": None}
            site["days_off"].append(day_off)
            self.record("days_off", site_id, body)
            return Response(200, day_off)

    def list_days_off(self, request: Request, brand_id: str, site_id: str) -> Response:
        with self.lock:
            self._authorize(request, "list_days_off")
            site = self._site(brand_id, site_id)
            try:
                size, number = int(request.query.get("page_size", 20)), int(request.query.get("page_number", 1))
            except ValueError:
                raise ApiError(400, "bad_request", "page_size and page_number are integers") from None
            if not 1 <= size <= 50 or number < 1:
                raise ApiError(400, "bad_request", "page_size is 1 to 50, page_number starts at 1")
            listed = site["days_off"]
            if request.query.get("upcoming") == "true":
                now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M")  # the sites' clocks: close enough for tests
                listed = [day for day in listed if not day["cancelled_at"] and day["local_end_time"] > now]
            return Response(200, listed[(number - 1) * size:number * size])

    def cancel_day_off(self, request: Request, brand_id: str, site_id: str, days_off_id: str) -> Response:
        with self.lock:
            self._authorize(request, "cancel_day_off")
            site = self._site(brand_id, site_id)
            day_off = next((day for day in site["days_off"] if day["days_off_id"] == days_off_id), None)
            if day_off is None:
                raise ApiError(404, "not_found", f"days off {days_off_id} does not exist")
            if day_off.get("reason") == "FORCED_CLOSURE":
                raise ApiError(400, "bad_request", "a FORCED_CLOSURE cannot be cancelled through the API")
            day_off["cancelled_at"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M")
            self.record("cancel_day_off", site_id, {"days_off_id": days_off_id})
            return Response(200, day_off)

    # --- controls ------------------------------------------------------------------------

    def configure_app(self, request: Request) -> Response:
        with self.lock:
            body = self._json(request)
            self.client_id, self.client_secret = body["client_id"], body["client_secret"]
            return Response(200, {"ok": True})

    def register_site(self, request: Request) -> Response:
        with self.lock:
            body = self._json(request)
            site = {"site_id": body["site_id"], "brand_id": body["brand_id"],
                    "webhook_url": body.get("webhook_url", ""), "webhook_secret": body.get("webhook_secret", ""),
                    "status": "OPEN", "menu": None, "opening_hours": {}, "days_off": [], "unavailable": {},
                    "menu_results": body.get("menu_results", True), "menu_errors": body.get("menu_errors", [])}
            site["days_off"] = [{"days_off_id": f"{body['site_id']}:{n}", "cancelled_at": None, **day}
                                for n, day in enumerate(body.get("days_off", []), start=1)]
            self.sites[body["site_id"]] = site
            return Response(201, site)

    def get_site(self, request: Request, site_id: str) -> Response:
        with self.lock:
            site = self.sites.get(site_id)
            if site is None:
                raise ApiError(404, "not_found", f"site {site_id} does not exist")
            return Response(200, site)

    def create_order(self, request: Request) -> Response:
        """A customer orders one of the corpus' orders; its ``order.new`` goes to the site's webhook."""
        with self.lock:
            body = self._json(request)
            site = self.sites.get(body.get("site_id", ""))
            if site is None:
                raise ApiError(404, "not_found", "no such site")
            try:
                placed = datetime.now(UTC) - timedelta(minutes=float(body.get("placed_minutes_ago", 0)))
                order = build_order(body.get("fixture", DEFAULT_ORDER), placed, body.get("id"))
            except KeyError as exc:
                raise ApiError(400, "bad_request", str(exc)) from None
            self.orders[order["id"]] = order
            self.order_site[order["id"]] = site["site_id"]
            self._order_event(order["id"], "order.new")
            return Response(201, order)

    def peek_order(self, request: Request, order_id: str) -> Response:
        with self.lock:
            return Response(200, self._order(order_id))

    def rider_update(self, request: Request, order_id: str) -> Response:
        with self.lock:
            self._order(order_id)
            body = self._json(request)
            try:
                event = build_rider_event(body.get("fixture", DEFAULT_RIDER), order_id, datetime.now(UTC))
            except KeyError as exc:
                raise ApiError(400, "bad_request", str(exc)) from None
            self._send(self.sites[self.order_site[order_id]], event, "event/rider.status_update")
            return Response(201, event)

    def cancel_order(self, request: Request, order_id: str) -> Response:
        """The customer (or Deliveroo) cancels: the order is canceled and ``order.status_update`` is sent."""
        with self.lock:
            self._move(self._order(order_id), "canceled")
            self._order_event(order_id, "order.status_update")
            return Response(200, self.orders[order_id])

    def stats(self, request: Request) -> Response:
        with self.lock:
            return Response(200, dict(self.counts))
