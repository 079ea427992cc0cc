"""What a channel tells us: parsed webhook events and fetched statuses."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, model_validator

from ._base import Canonical, UtcDatetime
from .catalog import PublishResult
from .enums import CourierStage, OrderStatus
from .money import LenientDecimal
from .orders import Cancellation, CanonicalOrder


class InboundEventKind(StrEnum):
    NEW_ORDER = "new_order"
    NEW_RESERVATION = "new_reservation"
    STATUS_CHANGED = "status_changed"
    COURIER_UPDATE = "courier_update"
    PUBLISH_RESULT = "publish_result"
    UNKNOWN = "unknown"


class CourierPosition(Canonical):
    """Where the courier was, when the channel says."""

    lat: LenientDecimal = Field(ge=-90, le=90)
    lng: LenientDecimal = Field(ge=-180, le=180)
    recorded_at: UtcDatetime | None = Field(None, description="when the position was taken; None: not said")


class CourierUpdate(Canonical):
    """What the channel tells about an order's courier: who, where, when they will be there.

    Every field but ``stage`` is optional: a channel sends what it knows at
    that moment ("assigned: Ana, +34..."; "arriving, 4 min"). A courier who
    is replaced shows as ``unassigned`` and a new ``assigned``.
    """

    stage: CourierStage
    channel_stage: str = Field("", description="the channel's own code for the stage")
    name: str = ""
    phone: str = ""
    phone_code: str = Field("", description="the code to reach the courier through the channel's phone bridge")
    position: CourierPosition | None = None
    pickup_eta: UtcDatetime | None = Field(None, description="when the courier should reach the restaurant")
    dropoff_eta: UtcDatetime | None = Field(None, description="when the courier should reach the customer")
    tracking_url: str = ""
    vehicle: str = Field("", description="bike, car, ... as the channel words it")


class InboundEvent(Canonical):
    """One thing a webhook told us.

    A *thin* webhook carries only ``channel_order_id`` (``order`` is None):
    the platform fetches the order with the module's client. ``status`` is
    None when the channel's code has no canonical meaning; ``channel_status``
    keeps the raw code either way. A status change to cancelled may say who
    cancelled and why (``cancellation``). A ``COURIER_UPDATE`` carries
    ``courier``. A ``PUBLISH_RESULT`` (a channel that tells how a catalog
    publish went by webhook, not by a poll) carries ``publish``: its state,
    errors in the channel's words, and in ``transaction_id`` the channel's id
    of the upload (or menu) it answers; it names no order. An ``UNKNOWN``
    event is stored as ignored with ``ignored_reason``.
    """

    kind: InboundEventKind
    event_id: str = Field(min_length=1, description="the channel's id for this event, for dedup")
    channel_order_id: str = ""
    occurred_at: UtcDatetime | None = None
    order: CanonicalOrder | None = None
    status: OrderStatus | None = None
    channel_status: str = ""
    cancellation: Cancellation | None = None
    courier: CourierUpdate | None = None
    publish: PublishResult | None = None
    ignored_reason: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> InboundEvent:
        if self.kind == InboundEventKind.UNKNOWN:
            if not self.ignored_reason:
                raise ValueError("an unknown event needs ignored_reason")
            return self
        if self.kind == InboundEventKind.PUBLISH_RESULT:
            if self.publish is None or not self.publish.transaction_id:
                raise ValueError("a publish_result event needs publish with the channel's upload id (transaction_id)")
            return self
        if not self.channel_order_id:
            raise ValueError(f"a {self.kind} event needs channel_order_id")
        if self.order is not None and self.order.channel_order_id != self.channel_order_id:
            raise ValueError("order.channel_order_id differs from the event's channel_order_id")
        if self.kind == InboundEventKind.STATUS_CHANGED and not self.channel_status:
            raise ValueError("a status_changed event needs the channel's raw status")
        if self.kind == InboundEventKind.COURIER_UPDATE and self.courier is None:
            raise ValueError("a courier_update event needs courier")
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
