"""Outbound: the Uber Eats Marketplace APIs with an OAuth2 client-credentials token.

The token (30 days) is cached in the platform's token store under
``uber_eats:<client_id>``, so every worker shares one; it is refreshed a
minute before it expires and dropped on a 401, after which the call is
retried once. Uber answers errors as ``{code, message}``.
"""

from __future__ import annotations

import time

from canonical import (
    Availability,
    CanonicalCatalog,
    CanonicalOrder,
    ChannelStatus,
    InboundEvent,
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
from integrations.http import ChannelHttp, OAuth2ClientCredentials

from .hours import availability_to_holiday_hours
from .menu import catalog_to_menu, item_update_to_body
from .translate import order_to_canonical
from .vocabulary import (
    CANCEL_CODES,
    CANCEL_REASONS,
    DENY_CODES,
    DENY_REASONS,
    EVENT_SCHEDULED_ORDER,
    RESTAURANT_DELIVERY_STATUSES,
)

SCOPES = "eats.store eats.order eats.store.orders.read eats.store.status.write"
"""Asked for every token. restaurantdelivery/status also needs ``eats.store.orders.restaurantdelivery.status``,
which Uber grants only to apps set up for merchant delivery; asking for a scope the app lacks fails the token."""
FIELDS_RELAYED = {
    # accept_pos_order: what the integration shows the restaurant, so Uber need not relay it another way.
    "order_special_instructions": True,  # cart.special_instructions → the order's notes
    "item_special_instructions": True,  # items[].special_instructions → each line's notes
    "item_special_requests": True,  # items[].special_requests (allergies) → each line's allergy notes
    "promotions": True,  # merchant-funded promotions → the order's discount
}
TOKEN_URL = "https://auth.uber.com/oauth/v2/token"


class UberEatsClient(ChannelClient):
    _http: ChannelHttp | None = None

    @property
    def http(self) -> ChannelHttp:
        if self._http is None:
            base = self.module.base_url(self.connection).rstrip("/")
            credentials = self.connection.credentials
            # A base URL override (a sandbox proxy or our simulator) serves the token endpoint too.
            token_url = f"{base}/oauth/v2/token" if self.connection.base_url else TOKEN_URL
            auth = OAuth2ClientCredentials(
                token_url,
                credentials.client_id,
                credentials.client_secret.get_secret_value(),
                scope=SCOPES,
                token_store=self.transport.token_store,
                cache_key=f"uber_eats:{credentials.client_id}",
            )
            self._http = self.transport.http(base, auth=auth)
        return self._http

    @property
    def store_id(self) -> str:
        return self.connection.store_id

    def get_order(self, channel_order_id: str) -> CanonicalOrder:
        raw = self.http.get(f"/v2/eats/order/{channel_order_id}", operation="get_order").json()
        return order_to_canonical(tracked(raw), self.connection.currency, raw=raw)

    def get_announced_order(self, event: InboundEvent) -> CanonicalOrder:
        """The order, with what its webhook said: scheduled (``orders.scheduled.notification``), cancellation.

        v2 orders carry no scheduled or target time; the event type is the only documented sign. The order is
        kept as scheduled with its window opening at Uber's predicted ready time (``estimated_ready_for_pickup_at``,
        the earliest the customer can be served; the order's placing time when Uber predicts none): the end of
        the window and the target stay unknown, as Uber leaves them.
        """
        order = self.get_order(event.channel_order_id)
        updates: dict[str, object] = {}
        if event.channel_status == EVENT_SCHEDULED_ORDER and not order.is_scheduled:
            updates["scheduled_earliest"] = order.estimates.ready_at or order.placed_at
        if event.cancellation is not None and order.status == OrderStatus.CANCELLED and order.cancellation is None:
            updates["cancellation"] = event.cancellation
        return order.model_copy(update=updates) if updates else order

    def get_order_status(self, order: OrderRef) -> ChannelStatus:
        data = self.http.get(f"/v2/eats/order/{order.channel_order_id}", operation="get_order_status").json()
        state = data["current_state"]
        return ChannelStatus(channel_order_id=order.channel_order_id, channel_status=state,
                             status=self.module.to_canonical_status(state, order.service_type))

    def publish_catalog(self, catalog: CanonicalCatalog) -> PublishResult:
        self.http.put(f"/v2/eats/stores/{self.store_id}/menus", operation="publish_catalog",
                      json=catalog_to_menu(catalog))
        return PublishResult(state=PublishState.DONE)

    def update_catalog_items(self, updates: list[ItemUpdate]) -> PublishResult:
        for update in updates:
            body = item_update_to_body(update, self.connection.currency)
            if body:
                self.http.post(f"/v2/eats/stores/{self.store_id}/menus/items/{update.sku}",
                               operation="update_catalog_item", json=body)
        return PublishResult(state=PublishState.DONE)

    def set_order_status(self, order: OrderRef, update: StatusUpdate) -> None:
        path = f"/v1/eats/orders/{order.channel_order_id}"
        if update.status == OrderStatus.ACCEPTED:
            body: dict[str, object] = {"reason": update.reason or "Accepted"}
            if update.prep_minutes is not None:
                since = update.occurred_at.timestamp() if update.occurred_at else time.time()
                body["pickup_time"] = int(since) + update.prep_minutes * 60  # Unix seconds: when it will be ready
            if order.our_reference:  # shown in Uber's tools, so staff on both sides can find the order
                body["external_reference_id"] = order.our_reference
            body["fields_relayed"] = dict(FIELDS_RELAYED)
            self.http.post(f"{path}/accept_pos_order", operation="set_order_status", json=body)
        elif update.status in RESTAURANT_DELIVERY_STATUSES:
            self._restaurant_delivery_status(order, RESTAURANT_DELIVERY_STATUSES[update.status])
        elif update.status == OrderStatus.REJECTED:
            code = DENY_CODES.get(update.reason_code) if update.reason_code else _code(update.reason, DENY_REASONS)
            reason: dict[str, object] = {"code": code or "OTHER", "explanation": update.reason}
            if update.unavailable_items:
                reason["out_of_stock_items"] = list(update.unavailable_items)
            self.http.post(f"{path}/deny_pos_order", operation="set_order_status", json={"reason": reason})
        elif update.status == OrderStatus.CANCELLED:
            code = (CANCEL_CODES.get(update.reason_code) if update.reason_code
                    else _code(update.reason, CANCEL_REASONS)) or "OTHER"
            body = {"reason": code}
            if code == "OTHER":
                body["details"] = update.reason
            self.http.post(f"{path}/cancel", operation="set_order_status", json=body)
        else:
            raise UnmappedStatus(f"Uber Eats takes no {update.status} status (accept, deny, cancel; picked up and "
                                 "delivered for the restaurant's own courier)")

    def _restaurant_delivery_status(self, order: OrderRef, status: str) -> None:
        """``restaurantdelivery/status`` is for merchant-coordinated couriers only: an order Uber's courier
        delivers reports itself, so the order's type is read first and such an order is left alone."""
        if order.service_type != ServiceType.DELIVERY:
            return  # a pickup or dine-in order has no courier to report on
        path = f"/v1/eats/orders/{order.channel_order_id}"
        current = self.http.get(f"/v2/eats/order/{order.channel_order_id}", operation="get_order").json()
        if current.get("type") != "DELIVERY_BY_RESTAURANT":
            return
        self.http.post(f"{path}/restaurantdelivery/status", operation="set_order_status", json={"status": status})

    def set_opening_hours(self, availability: Availability) -> None:
        self.http.post(f"/v1/eats/stores/{self.store_id}/holiday-hours", operation="set_opening_hours",
                       json=availability_to_holiday_hours(availability))

    def pause(self, pause: PauseRequest) -> None:
        body: dict[str, object] = {"status": "PAUSED", "reason": pause.reason or "Paused by the restaurant"}
        if pause.until is not None:
            body["paused_until"] = pause.until.isoformat().replace("+00:00", "Z")
        self.http.post(f"/v1/eats/store/{self.store_id}/status", operation="pause", json=body)

    def resume(self, service_type: ServiceType | None = None) -> None:
        self.http.post(f"/v1/eats/store/{self.store_id}/status", operation="resume",
                       json={"status": "ONLINE", "reason": "Resumed by the restaurant"})


def _code(reason: str, allowed: tuple[str, ...]) -> str:
    """The reason as one of Uber's codes when it already is one, else ``OTHER`` (the text goes along)."""
    candidate = reason.strip().upper().replace(" ", "_")
    return candidate if candidate in allowed else "OTHER"
