"""What the checks of one run share: the connection, its module and client, and the test orders made so far."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from canonical import OrderRef, ServiceType
from integrations.channels.base import ChannelClient, ChannelModule, SandboxControls
from integrations.channels.features import Feature
from integrations.models import Connection
from orders.channel_door import ChannelLink, take_order

from .space import mark_test_orders

logger = logging.getLogger("integrations.validation")


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
    correlation_id: str = ""
    test_orders: list[OrderRef] = field(default_factory=list)

    def new_test_order(self, service_type: ServiceType = ServiceType.DELIVERY) -> OrderRef:
        """A fresh order on the channel's sandbox (its new-order webhook is one of the things we check).

        Taken into our rows at once, marked as a test order (``Order.is_test``), so it never shows
        as the restaurant's; if its webhook got here first, the order it made is marked instead.
        """
        if self.tools is None:
            raise Skip(f"no sandbox tools for module {self.module.slug!r}: cannot create a test order")
        channel_order_id = self.tools.create_test_order(service_type)
        ref = OrderRef(channel_order_id=channel_order_id, service_type=service_type)
        self.test_orders.append(ref)
        self._take_as_test(ref)
        return ref

    def first_test_order(self) -> OrderRef:
        return self.test_orders[0] if self.test_orders else self.new_test_order()

    def _take_as_test(self, ref: OrderRef) -> None:
        if not self.module.features.supports(Feature.GET_ORDER):
            mark_test_orders(self.connection, [ref.channel_order_id])  # if its webhook came already; the run's end
            return
        try:
            canonical = self.client.get_order(ref.channel_order_id)
        except Exception as exc:  # the run's end marks it when its webhook has brought it
            logger.info("validation test order %s not fetched yet: %s", ref.channel_order_id, exc)
            return
        link = ChannelLink(connection_id=self.connection.pk, restaurant_id=self.connection.restaurant_id)
        take_order(link, canonical, correlation_id=self.correlation_id, is_test=True)
