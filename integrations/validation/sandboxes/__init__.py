"""Sandbox tools: how to play the channel's side in its sandbox (create a test order, change it there).

The channel's API for restaurants has no "create an order" call, so each
channel's sandbox offers its own way (a control API, a test-order button…).
A module that has one registers tools here under its slug; the platform
itself stays free of channel special cases. Without tools, the checks that
need a test order are skipped with that reason.
"""

from __future__ import annotations

from typing import Protocol

from integrations.canonical import OrderStatus, ServiceType
from integrations.models import Connection


class SandboxTools(Protocol):
    def create_test_order(self, connection: Connection, service_type: ServiceType) -> str:
        """Place a test order (or reservation) as a customer would; return the channel's order id."""
        ...

    def change_status_on_channel(self, connection: Connection, channel_order_id: str, status: OrderStatus) -> None:
        """Move the order on the channel's side, so the channel sends a status webhook."""
        ...


def tools_for(module_slug: str) -> SandboxTools | None:
    from .sandbox_market import SandboxMarketTools

    registry: dict[str, SandboxTools] = {"sandbox_market": SandboxMarketTools()}
    return registry.get(module_slug)
