"""A tiny channel module for tests: the Sandbox Market, plus courier notifications (``{"courier": {...}}``)."""

from __future__ import annotations

import json
from collections.abc import Mapping

from canonical import CourierPosition, CourierStage, CourierUpdate, InboundEvent, InboundEventKind
from integrations.channels.context import ConnectionInfo
from integrations.channels.sandbox_market.module import Module as SandboxMarket


class CourierMarket(SandboxMarket):
    """The Sandbox Market with a rider-tracking webhook, as delivery marketplaces send them."""

    slug = "courier_market"
    name = "Courier Market"

    def parse_webhook(self, connection: ConnectionInfo, body: bytes, headers: Mapping[str, str]) -> list[InboundEvent]:
        data = json.loads(body)
        if "courier" not in data:
            return super().parse_webhook(connection, body, headers)
        rider = data["courier"]
        update = CourierUpdate(
            stage=CourierStage(rider["stage"]), channel_stage=rider["stage"].upper(), name=rider.get("name", ""),
            position=CourierPosition(lat=rider["lat"], lng=rider["lng"]),
        )
        return [InboundEvent(
            kind=InboundEventKind.COURIER_UPDATE, event_id=data["event_id"], channel_order_id=data["ticket_id"],
            occurred_at=data["occurred_at"], courier=update,
        )]
