"""What a channel tells us: parsed webhook events and fetched statuses."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, model_validator

from ._base import Canonical, UtcDatetime
from .enums import OrderStatus
from .orders import CanonicalOrder


class InboundEventKind(StrEnum):
    NEW_ORDER = "new_order"
    NEW_RESERVATION = "new_reservation"
    STATUS_CHANGED = "status_changed"
    UNKNOWN = "unknown"


class InboundEvent(Canonical):
    """One thing a webhook told us.

    A *thin* webhook carries only ``channel_order_id`` (``order`` is None):
    the platform fetches the order with the module's client. ``status`` is
    None when the channel's code has no canonical meaning; ``channel_status``
    keeps the raw code either way. An ``UNKNOWN`` event is stored as ignored
    with ``ignored_reason``.
    """

    kind: InboundEventKind
    event_id: str = Field(min_length=1, description="the channel's id for this event, for dedup")
    channel_order_id: str = ""
    occurred_at: UtcDatetime | None = None
    order: CanonicalOrder | None = None
    status: OrderStatus | None = None
    channel_status: str = ""
    ignored_reason: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> InboundEvent:
        if self.kind == InboundEventKind.UNKNOWN:
            if not self.ignored_reason:
                raise ValueError("an unknown event needs ignored_reason")
            return self
        if not self.channel_order_id:
            raise ValueError(f"a {self.kind} event needs channel_order_id")
        if self.order is not None and self.order.channel_order_id != self.channel_order_id:
            raise ValueError("order.channel_order_id differs from the event's channel_order_id")
        if self.kind == InboundEventKind.STATUS_CHANGED and not self.channel_status:
            raise ValueError("a status_changed event needs the channel's raw status")
        return self

    @property
    def needs_fetch(self) -> bool:
        return self.kind in (InboundEventKind.NEW_ORDER, InboundEventKind.NEW_RESERVATION) and self.order is None


class ChannelStatus(Canonical):
    """An order's status as the channel reports it when asked."""

    channel_order_id: str
    status: OrderStatus | None
    channel_status: str
    changed_at: UtcDatetime | None = None
