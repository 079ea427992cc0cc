"""Courier updates are inbound events of their own."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from pydantic import ValidationError

from canonical import CourierPosition, CourierStage, CourierUpdate, InboundEvent, InboundEventKind

AT = datetime(2026, 1, 16, 18, 10, tzinfo=UTC)


def test_a_courier_update_carries_who_where_and_when():
    event = InboundEvent(
        kind=InboundEventKind.COURIER_UPDATE, event_id="e-1", channel_order_id="A-1", occurred_at=AT,
        courier=CourierUpdate(stage=CourierStage.ARRIVING, channel_stage="RIDER_EN_ROUTE", name="Ana",
                              phone="+34600111222", phone_code="482 17", pickup_eta=AT,
                              position=CourierPosition(lat=41.40, lng=2.19)),
    )

    assert event.courier.stage == CourierStage.ARRIVING
    assert event.courier.position.lat == Decimal("41.4")
    assert not event.needs_fetch


def test_a_courier_update_needs_its_courier_and_an_order():
    with pytest.raises(ValidationError, match="needs courier"):
        InboundEvent(kind=InboundEventKind.COURIER_UPDATE, event_id="e-1", channel_order_id="A-1")
    with pytest.raises(ValidationError, match="needs channel_order_id"):
        InboundEvent(kind=InboundEventKind.COURIER_UPDATE, event_id="e-1",
                     courier=CourierUpdate(stage=CourierStage.ASSIGNED))
    with pytest.raises(ValidationError):
        CourierPosition(lat=91, lng=0)
