"""The Sandbox Market's control API (``/_control``): create tickets and bookings, move them as the market."""

from __future__ import annotations

from integrations.canonical import OrderStatus, ServiceType
from integrations.channels.registry import get_module
from integrations.connections import PlatformTransport
from integrations.http import ChannelHttp
from integrations.models import Connection

KINDS = {
    ServiceType.DELIVERY: "HOME_DELIVERY",
    ServiceType.COLLECTION: "TAKEAWAY",
    ServiceType.IN_SITU: "EAT_IN",
}
# One line the market does not need to find on the menu, so a test order works before any publish.
TEST_LINE = {"plu": "SINQRO-VALIDATION", "title": "Validation test item", "qty": 1, "unit_cents": 1000, "vat_pct": 10}


class SandboxMarketTools:
    def _http(self, connection: Connection) -> ChannelHttp:
        module = get_module(connection.channel.module)
        base = (connection.base_url or module.default_base_urls.get(connection.environment, "")).rstrip("/")
        # Through the platform's transport, so these calls show in the channel call log like any other.
        return PlatformTransport(connection.pk).http(f"{base}/_control")

    def create_test_order(self, connection: Connection, service_type: ServiceType) -> str:
        http = self._http(connection)
        store = connection.store_id
        if service_type == ServiceType.RESERVATION:
            body = {"covers": 2, "comment": "Sinqro validation"}
            response = http.post(f"/stores/{store}/bookings", operation="validation_test_booking", json=body)
        else:
            body = {"kind": KINDS[service_type], "basket": [TEST_LINE], "comment": "Sinqro validation"}
            response = http.post(f"/stores/{store}/tickets", operation="validation_test_order", json=body)
        return response.json()["ticket_id"]

    def change_status_on_channel(self, connection: Connection, channel_order_id: str, status: OrderStatus) -> None:
        module = get_module(connection.channel.module)
        state = module.to_channel_status(status)
        self._http(connection).post(
            f"/tickets/{channel_order_id}/state",
            operation="validation_channel_status",
            json={"state": state, "reason": "Sinqro validation"},
        )
