"""What the checks of one run share: the connection, its module and client, and the test orders made so far."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from canonical import OrderRef, ServiceType
from integrations.channels.base import ChannelClient, ChannelModule, SandboxControls
from integrations.models import Connection


class Skip(Exception):
    """The check cannot run; the message says why and goes into the result."""


class CheckFailed(Exception):
    """The channel did not do what the feature promises; the message says what happened."""


@dataclass
class ValidationContext:
    connection: Connection
    module: ChannelModule
    client: ChannelClient
    tools: SandboxControls | None
    started_at: datetime
    test_orders: list[OrderRef] = field(default_factory=list)

    def new_test_order(self, service_type: ServiceType = ServiceType.DELIVERY) -> OrderRef:
        """A fresh order on the channel's sandbox (its new-order webhook is one of the things we check)."""
        if self.tools is None:
            raise Skip(f"no sandbox tools for module {self.module.slug!r}: cannot create a test order")
        channel_order_id = self.tools.create_test_order(service_type)
        ref = OrderRef(channel_order_id=channel_order_id, service_type=service_type)
        self.test_orders.append(ref)
        return ref

    def first_test_order(self) -> OrderRef:
        return self.test_orders[0] if self.test_orders else self.new_test_order()
