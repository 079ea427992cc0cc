"""What a channel says of an order's courier: the delivery row kept current, every report kept.

A report older than what the delivery already knows (``occurred_at`` before
its ``last_update_at``) is recorded, not applied: couriers report every few
seconds and webhooks arrive out of order. A courier who is replaced (the
channel unassigns them, or assigns someone else by name) starts a new
delivery, so the trip of each courier stays on its own row.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from canonical import CourierStage, CourierUpdate

from .intake import fit
from .models import CourierReport, Delivery, Order

COORDINATE = Decimal("0.000001")


def record_courier_update(order: Order, update: CourierUpdate, occurred_at: datetime, correlation_id: str) -> Delivery:
    """The order's delivery after ``update``; the caller holds the order's row lock."""
    delivery = _current_or_new(order, update)
    fresh = delivery.last_update_at is None or occurred_at >= delivery.last_update_at
    position = update.position
    CourierReport.objects.create(
        delivery=delivery,
        stage=update.stage,
        channel_stage=fit(CourierReport, "channel_stage", update.channel_stage),
        name=fit(CourierReport, "name", update.name),
        lat=_coordinate(position.lat) if position else None,
        lng=_coordinate(position.lng) if position else None,
        pickup_eta=update.pickup_eta,
        dropoff_eta=update.dropoff_eta,
        applied=fresh,
        occurred_at=occurred_at,
        correlation_id=correlation_id[:64],
    )
    if fresh:
        _apply(delivery, update, occurred_at)
    return delivery


def already_taken(order: Order, update: CourierUpdate, correlation_id: str) -> bool:
    """The same report (stage, under the same correlation id) was taken before: a redelivery or a re-run."""
    return bool(correlation_id) and CourierReport.objects.filter(
        delivery__order=order, correlation_id=correlation_id[:64], stage=update.stage
    ).exists()


def _current_or_new(order: Order, update: CourierUpdate) -> Delivery:
    current = order.deliveries.order_by("-id").first()
    if current is None:
        return Delivery.objects.create(order=order)
    replaced = update.stage == CourierStage.ASSIGNED and (
        current.stage == CourierStage.UNASSIGNED
        or (bool(update.name) and bool(current.driver_name) and update.name != current.driver_name)
    )
    if replaced:
        return Delivery.objects.create(order=order, by_restaurant=current.by_restaurant)
    return current


def _apply(delivery: Delivery, update: CourierUpdate, occurred_at: datetime) -> None:
    """What the channel said now; what it did not say this time is kept as it was."""
    delivery.stage = update.stage
    delivery.courier_status = fit(Delivery, "courier_status", update.channel_stage or update.stage)
    delivery.last_update_at = occurred_at
    for field, value in (
        ("driver_name", update.name),
        ("driver_phone", update.phone),
        ("phone_code", update.phone_code),
        ("vehicle", update.vehicle),
        ("tracking_url", update.tracking_url),
    ):
        if value:
            setattr(delivery, field, fit(Delivery, field, value))
    if update.pickup_eta is not None:
        delivery.pickup_eta = update.pickup_eta
    if update.dropoff_eta is not None:
        delivery.dropoff_eta = update.dropoff_eta
    if update.position is not None:
        delivery.position_lat = _coordinate(update.position.lat)
        delivery.position_lng = _coordinate(update.position.lng)
        delivery.position_at = update.position.recorded_at or occurred_at
    if update.stage == CourierStage.PICKED_UP and delivery.picked_up_at is None:
        delivery.picked_up_at = occurred_at
    if update.stage == CourierStage.DELIVERED and delivery.delivered_at is None:
        delivery.delivered_at = occurred_at
    delivery.save()


def _coordinate(value: Decimal) -> Decimal:
    return value.quantize(COORDINATE)
