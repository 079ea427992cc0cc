"""The Sandbox Market's control API (``/_control``): create tickets and bookings, move them as the market."""

from __future__ import annotations

from canonical import OrderStatus, ServiceType
from integrations.channels.base import SandboxControls
from integrations.http import ChannelHttp

from .vocabulary import SERVICE_TO_KIND

# One line the market does not need to find on the menu, so a test order works before any publish.
TEST_LINE = {"plu": "SINQRO-VALIDATION", "title": "Validation test item", "qty": 1, "unit_cents": 1000, "vat_pct": 10}


class SandboxMarketControls(SandboxControls):
    @property
    def http(self) -> ChannelHttp:
        # Through the platform's transport, so these calls show in the channel call log like any other.
        return self.transport.http(f"{self.module.base_url(self.connection).rstrip('/')}/_control")

    def create_test_order(self, service_type: ServiceType) -> str:
        store = self.connection.store_id
        if service_type == ServiceType.RESERVATION:
            body = {"covers": 2, "comment": "Sinqro validation"}
            response = self.http.post(f"/stores/{store}/bookings", operation="validation_test_booking", json=body)
        else:
            body = {"kind": SERVICE_TO_KIND[service_type], "basket": [TEST_LINE], "comment": "Sinqro validation"}
            response = self.http.post(f"/stores/{store}/tickets", operation="validation_test_order", json=body)
        return response.json()["ticket_id"]

    def change_status_on_channel(self, channel_order_id: str, status: OrderStatus, service_type: ServiceType) -> None:
        self.http.post(
            f"/tickets/{channel_order_id}/state",
            operation="validation_channel_status",
            json={"state": self.module.to_channel_status(status, service_type), "reason": "Sinqro validation"},
        )
