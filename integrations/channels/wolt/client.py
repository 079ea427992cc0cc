"""Outbound: Wolt's Order, Menu and Venue APIs (``pos-integration-service``) with a per-venue OAuth token.

Status calls (docs/api/order, docs/orderrestaurantguide): ``PUT /orders/{id}/accept`` (Wolt's courier, takeaway,
eat-in), ``PUT /orders/{id}/self-delivery/accept`` (the venue's own courier: "Different ACCEPT ENDPOINT"),
``PUT /orders/{id}/confirm-preorder`` (a scheduled order: "The accept call will be done by Wolt"),
``PUT /orders/{id}/reject`` with a reason, ``PUT /orders/{id}/ready``, ``PUT /orders/{id}/delivered`` (takeaway,
eat-in and self-delivery: Wolt's couriers report themselves). Which accept applies is read from the order
(``type``, ``delivery.self_delivery``) with one GET first.
"""

from __future__ import annotations

import hashlib
from typing import Any

from pydantic import SecretStr

from canonical import (
    Availability,
    CanonicalCatalog,
    CanonicalOrder,
    ChannelStatus,
    DriverPosition,
    ItemUpdate,
    OrderRef,
    OrderStatus,
    PauseRequest,
    PublishResult,
    PublishState,
    ServiceType,
    StatusUpdate,
)
from integrations.channels.base import ChannelClient
from integrations.channels.errors import UnmappedStatus
from integrations.channels.payloads import tracked
from integrations.http import ChannelHttp

from .auth import WoltRefreshToken
from .hours import opening_times, special_times
from .menu import availability_updates, catalog_to_menu
from .translate import order_to_canonical
from .vocabulary import PREORDER

TOKEN_URLS = {
    "production": "https://integrations-authentication-service.wolt.com/oauth2/token",
    "sandbox": "https://integrations-authentication-service.development.dev.woltapi.com/oauth2/token",
}


def _chain(refresh_token: SecretStr) -> str:
    """Names the token chain a connection's first refresh token starts: a venue that connects again (a new code
    exchange, a new refresh token) starts a new chain instead of refreshing with a token of the old one."""
    return hashlib.sha256(refresh_token.get_secret_value().encode()).hexdigest()[:16]


class WoltClient(ChannelClient):
    _http: ChannelHttp | None = None

    @property
    def http(self) -> ChannelHttp:
        if self._http is None:
            base = self.module.base_url(self.connection).rstrip("/")
            credentials = self.connection.credentials
            # A base URL override (our simulator, a proxy) serves the token endpoint too.
            token_url = f"{base}/oauth2/token" if self.connection.base_url else TOKEN_URLS[self.connection.environment]
            first = credentials.access_token.get_secret_value() if credentials.access_token else ""
            expires = credentials.access_token_expires_at.timestamp() if credentials.access_token_expires_at else 0.0
            auth = WoltRefreshToken(
                token_url, credentials.client_id, credentials.client_secret.get_secret_value(),
                credentials.refresh_token.get_secret_value(), token_store=self.transport.token_store,
                cache_key=f"wolt:{credentials.client_id}:{self.venue_id}:{_chain(credentials.refresh_token)}",
                first_access_token=first,
                first_access_expires_at=expires,
            )
            self._http = self.transport.http(base, auth=auth)
        return self._http

    @property
    def venue_id(self) -> str:
        return self.connection.store_id

    # --- orders --------------------------------------------------------------------

    def _fetch(self, channel_order_id: str, operation: str) -> dict[str, Any]:
        # The current order payload; never the notification's resource_url (documented as outdated).
        return self.http.get(f"/v2/orders/{channel_order_id}", operation=operation).json()

    def get_order(self, channel_order_id: str) -> CanonicalOrder:
        raw = self._fetch(channel_order_id, "get_order")
        return order_to_canonical(tracked(raw), self.connection.currency, raw=raw)

    def get_order_status(self, order: OrderRef) -> ChannelStatus:
        state = str(self._fetch(order.channel_order_id, "get_order_status").get("order_status") or "")
        return ChannelStatus(channel_order_id=order.channel_order_id, channel_status=state,
                             status=self.module.to_canonical_status(state.upper(), order.service_type))

    def set_order_status(self, order: OrderRef, update: StatusUpdate) -> None:
        path = f"/orders/{order.channel_order_id}"
        if update.status == OrderStatus.ACCEPTED:
            self.http.put(f"{path}/{self._accept_call(order)}", operation="set_order_status")
        elif update.status == OrderStatus.REJECTED:
            self.http.put(f"{path}/reject", operation="set_order_status", json={"reason": _reason(update)})
        elif update.status == OrderStatus.READY:
            self.http.put(f"{path}/ready", operation="set_order_status")
        elif update.status in (OrderStatus.DELIVERED, OrderStatus.PICKED_UP):
            if order.service_type == ServiceType.COLLECTION and update.status != OrderStatus.PICKED_UP:
                raise UnmappedStatus("a takeaway order ends when the customer picks it up, not delivered")
            self.http.put(f"{path}/delivered", operation="set_order_status")
        else:
            raise UnmappedStatus(f"Wolt takes no {update.status} status (accept, reject, ready, delivered)")

    def _accept_call(self, order: OrderRef) -> str:
        """``confirm-preorder`` for a scheduled order, ``self-delivery/accept`` for the venue's own courier."""
        current = self._fetch(order.channel_order_id, "get_order")
        if current.get("type") == PREORDER:
            return "confirm-preorder"
        if (current.get("delivery") or {}).get("self_delivery"):
            return "self-delivery/accept"
        return "accept"

    def update_delivery_location(self, order: OrderRef, position: DriverPosition) -> None:
        self.http.put(f"/orders/{order.channel_order_id}/delivery/tracking/location",
                      operation="update_delivery_location",
                      json={"latitude": float(position.lat), "longitude": float(position.lng)})

    # --- menu ----------------------------------------------------------------------

    def publish_catalog(self, catalog: CanonicalCatalog) -> PublishResult:
        language = self.connection.extra.get("language", "en")
        self.http.post(f"/v1/restaurants/{self.venue_id}/menu", operation="publish_catalog",
                       json=catalog_to_menu(catalog, language))
        return PublishResult(state=PublishState.DONE)

    def update_catalog_items(self, updates: list[ItemUpdate]) -> PublishResult:
        items, options = availability_updates(updates)
        if items:
            self.http.patch(f"/venues/{self.venue_id}/items", operation="update_catalog_items", json={"data": items})
        if options:
            self.http.patch(f"/venues/{self.venue_id}/options/values", operation="update_catalog_items",
                            json={"data": options})
        return PublishResult(state=PublishState.DONE)

    # --- venue ---------------------------------------------------------------------

    def set_opening_hours(self, availability: Availability) -> None:
        """Special times first (every call sends all of them, none left: an empty list), then the weekly times."""
        self.http.put(f"/venues/{self.venue_id}/special-opening-times", operation="set_opening_hours",
                      json=special_times(availability))
        self.http.patch(f"/venues/{self.venue_id}/opening-times", operation="set_opening_hours",
                        json=opening_times(availability))

    def pause(self, pause: PauseRequest) -> None:
        self.http.patch(f"/venues/{self.venue_id}/status", operation="pause",
                        json={"is_online": False, "reason": pause.reason or "Paused by the restaurant"})

    def resume(self, service_type: ServiceType | None = None) -> None:
        self.http.patch(f"/venues/{self.venue_id}/status", operation="resume", json={"is_online": True})


def _reason(update: StatusUpdate) -> str:
    """Wolt's reject reason is free text (no codes are documented): the restaurant's words, else the canonical
    reason's label, with the items out of stock named so the customer's app can say which."""
    words = update.reason or (update.reason_code.label if update.reason_code else "")
    if update.unavailable_items:
        words = f"{words} ({', '.join(update.unavailable_items)})" if words else ", ".join(update.unavailable_items)
    return words
