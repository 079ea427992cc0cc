"""Passing the courier's position to the channel's customer."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction

from canonical import DriverPosition
from integrations.channels.features import Feature, PostDeliveryLocationOptions
from integrations.models import Connection, SyncJob
from orders.channel_door import order_ref
from orders.models import DriverLocation, Order

from ..outbox import record_job, supporting


def report_driver_location(
    order: Order, lat: Decimal | float | str, lng: Decimal | float | str, recorded_at: datetime
) -> DriverLocation:
    """Store where the courier is and queue it for the order's channel.

    Channels that take positions only for the restaurant's own couriers
    (``own_courier_only``) get no job for a platform courier. Positions are
    coalesced: a newer one supersedes a pending older one, and a new job
    waits the module's ``min_interval_seconds`` after the previous one, so a
    chatty driver app never floods the channel.
    """
    with transaction.atomic():
        location = DriverLocation.objects.create(
            order=order, lat=Decimal(str(lat)), lng=Decimal(str(lng)), recorded_at=recorded_at
        )
        if order.connection_id is None or not order.channel_order_id:
            return location
        connection = Connection.objects.select_related("channel", "restaurant").get(pk=order.connection_id)
        for candidate, module in supporting([connection], Feature.POST_DELIVERY_LOCATION):
            options = module.features.options(Feature.POST_DELIVERY_LOCATION)
            assert isinstance(options, PostDeliveryLocationOptions)
            if options.own_courier_only and not order.deliveries.filter(by_restaurant=True).exists():
                continue
            _record(order, candidate, location, options)
    return location


def _record(
    order: Order, connection: Connection, location: DriverLocation, options: PostDeliveryLocationOptions
) -> SyncJob:
    lane = f"location:{order.pk}"
    # Measured from the last position that went (or is going) out, not from pending ones a newer one replaces.
    previous = (
        SyncJob.objects.filter(connection=connection, ordering_key=lane)
        .exclude(state__in=[SyncJob.State.PENDING, SyncJob.State.SUPERSEDED])
        .order_by("-id")
        .values_list("created_at", flat=True)
        .first()
    )
    not_before = previous + timedelta(seconds=options.min_interval_seconds) if previous else None
    position = DriverPosition(lat=location.lat, lng=location.lng, recorded_at=location.recorded_at)
    return record_job(
        connection,
        SyncJob.Kind.DELIVERY_LOCATION,
        {"order": order_ref(order).model_dump(mode="json"), "position": position.model_dump(mode="json")},
        target=f"courier of order {order.display_code or order.channel_order_id}",
        order_id=order.pk,
        ordering_key=lane,
        coalesce_key=lane,
        correlation_id=order.correlation_id or None,
        not_before=not_before,
    )
