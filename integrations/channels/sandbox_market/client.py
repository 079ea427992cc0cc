"""Outbound: the Sandbox Market API (``/api/v2/stores/<store_ref>``, ``X-Market-Key`` header)."""

from __future__ import annotations

from canonical import (
    Availability,
    CanonicalCatalog,
    CanonicalOrder,
    ChannelStatus,
    DriverPosition,
    ItemUpdate,
    OrderRef,
    PauseRequest,
    PublishResult,
    PublishState,
    ServiceType,
    StatusUpdate,
)
from integrations.channels.base import ChannelClient
from integrations.channels.payloads import tracked
from integrations.http import ApiKeyHeader, ChannelHttp

from .translate import availability_to_hours, catalog_to_menu, iso, item_update_to_patch, parse_time, ticket_to_order


class SandboxMarketClient(ChannelClient):
    _http: ChannelHttp | None = None

    @property
    def http(self) -> ChannelHttp:
        if self._http is None:
            base = self.module.base_url(self.connection).rstrip("/")
            key = self.connection.credentials.api_key.get_secret_value()
            self._http = self.transport.http(
                f"{base}/api/v2/stores/{self.connection.store_id}", auth=ApiKeyHeader("X-Market-Key", key)
            )
        return self._http

    def get_order(self, channel_order_id: str) -> CanonicalOrder:
        return ticket_to_order(tracked(self.http.get(f"/tickets/{channel_order_id}", operation="get_order").json()))

    def get_order_status(self, order: OrderRef) -> ChannelStatus:
        data = self.http.get(f"/tickets/{order.channel_order_id}/state", operation="get_order_status").json()
        return ChannelStatus(
            channel_order_id=order.channel_order_id,
            status=self.module.to_canonical_status(data["state"], order.service_type),
            channel_status=data["state"],
            changed_at=parse_time(data.get("changed_at")),
        )

    def publish_catalog(self, catalog: CanonicalCatalog) -> PublishResult:
        data = self.http.put("/menu", operation="publish_catalog", json=catalog_to_menu(catalog)).json()
        return self._upload_result(data)

    def get_publish_result(self, transaction_id: str) -> PublishResult:
        return self._upload_result(
            self.http.get(f"/menu/uploads/{transaction_id}", operation="get_publish_result").json()
        )

    def update_catalog_items(self, updates: list[ItemUpdate]) -> PublishResult:
        for update in updates:
            patch = item_update_to_patch(update)
            if patch:
                self.http.patch(f"/menu/items/{update.sku}", operation="update_catalog_item", json=patch)
        return PublishResult(state=PublishState.DONE)

    def set_order_status(self, order: OrderRef, update: StatusUpdate) -> None:
        body: dict[str, object] = {
            "state": self.module.to_channel_status(update.status, order.service_type)
        }
        if update.reason:
            body["reason"] = update.reason
        if update.prep_minutes is not None:
            body["prep_minutes"] = update.prep_minutes
        self.http.post(f"/tickets/{order.channel_order_id}/state", operation="set_order_status", json=body)

    def update_delivery_location(self, order: OrderRef, position: DriverPosition) -> None:
        self.http.post(
            f"/tickets/{order.channel_order_id}/courier-position",
            operation="update_delivery_location",
            json={"lat": float(position.lat), "lng": float(position.lng), "recorded_at": iso(position.recorded_at)},
        )

    def set_opening_hours(self, availability: Availability) -> None:
        self.http.put("/opening-hours", operation="set_opening_hours", json=availability_to_hours(availability))

    def pause(self, pause: PauseRequest) -> None:
        self.http.post("/pause", operation="pause", json={"until": iso(pause.until), "reason": pause.reason})

    def resume(self, service_type: ServiceType | None = None) -> None:
        self.http.delete("/pause", operation="resume")

    @staticmethod
    def _upload_result(data: dict) -> PublishResult:
        state = {"processing": PublishState.PROCESSING, "done": PublishState.DONE}.get(
            data.get("status", ""), PublishState.FAILED
        )
        errors = tuple(
            f"{error.get('code', 'error')}: {error.get('message', '')}" if isinstance(error, dict) else str(error)
            for error in data.get("errors") or ()
        )
        return PublishResult(state=state, transaction_id=data.get("upload_id", ""), errors=errors)
