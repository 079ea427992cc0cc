"""Moving an order's status and telling its channel."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from canonical import RefusalReason, ServiceType, StatusUpdate
from integrations.channels.base import ChannelModule
from integrations.channels.features import Feature, PostStatusOptions
from integrations.models import Connection, SyncJob
from orders.channel_door import order_ref
from orders.models import Order, OrderStatus, StatusChange, StatusSource
from orders.status import apply_status

from ..outbox import record_job, supporting


def change_order_status(
    order: Order,
    status: str,
    *,
    reason: str = "",
    reason_code: str | None = None,
    unavailable_items: Sequence[str] = (),
    prep_minutes: int | None = None,
    source: str = StatusSource.POS,
    correlation_id: str | None = None,
) -> StatusChange:
    """Move ``order`` to ``status`` and, if the move applies, queue it for the order's channel.

    Only statuses the module declares it accepts are sent. A channel that needs
    a reason for this status gets a ``ValueError`` before anything is written,
    so the POS can ask the user instead of leaving a job that must fail. A
    rejection or cancellation may say why in the canonical words
    (``reason_code``, a ``RefusalReason``) and which items are out of stock;
    each module turns them into its channel's codes.
    """
    if reason_code is not None and reason_code not in RefusalReason.values:
        raise ValueError(f"{reason_code!r} is not a refusal reason (one of {', '.join(RefusalReason.values)})")
    update = StatusUpdate(
        status=status, reason=reason, reason_code=reason_code, unavailable_items=tuple(unavailable_items),
        prep_minutes=prep_minutes,
    )
    targets = _targets(order, status)
    for _connection, module in targets:
        options = module.features.options(Feature.POST_STATUS)
        assert isinstance(options, PostStatusOptions)
        if status in options.reason_required_for and not reason.strip():
            raise ValueError(f"{module.name} needs a reason to move an order to {status}")
    with transaction.atomic():
        change = apply_status(order, status, source=source, note=reason)
        if change.applied:
            for connection, module in targets:
                _record(order, connection, module, update, correlation_id)
    return change


def accept_again(order: Order, *, correlation_id: str | None = None) -> SyncJob | None:
    """Accept an accepted, scheduled order a second time, for a channel that wants it when it announces the order
    again for the kitchen (``PostStatusOptions.accepts_scheduled_twice``). The order does not move; a new status
    job carries the acceptance, due within the channel's acceptance window counted from now. None when the
    order or its channel does not call for it (not scheduled, not accepted, or another channel).
    """
    if order.status != OrderStatus.ACCEPTED or not order.is_scheduled:
        return None
    for connection, module in _targets(order, OrderStatus.ACCEPTED):
        options = module.features.options(Feature.POST_STATUS)
        assert isinstance(options, PostStatusOptions)
        if not options.accepts_scheduled_twice:
            continue
        first = order.sync_jobs.filter(kind=SyncJob.Kind.ORDER_STATUS, payload__update__status=OrderStatus.ACCEPTED)
        earlier = first.order_by("id").first()
        prep_minutes = ((earlier.payload.get("update") or {}).get("prep_minutes")) if earlier else None
        update = StatusUpdate(status=OrderStatus.ACCEPTED, reason="Accepted again: the scheduled order is due",
                              prep_minutes=prep_minutes)
        return _record(order, connection, module, update, correlation_id, counted_from=timezone.now())
    return None


def _targets(order: Order, status: str) -> list[tuple[Connection, ChannelModule]]:
    if order.connection_id is None or not order.channel_order_id:
        return []  # an order we created ourselves: no channel to tell
    connection = Connection.objects.select_related("channel", "restaurant").get(pk=order.connection_id)
    found = []
    for candidate, module in supporting([connection], Feature.POST_STATUS):
        options = module.features.options(Feature.POST_STATUS)
        assert isinstance(options, PostStatusOptions)
        if status in options.statuses and order.service_type in options.service_types \
                and _courier_allows(order, status, options):
            found.append((candidate, module))
    return found


def _courier_allows(order: Order, status: str, options: PostStatusOptions) -> bool:
    """Whether the channel takes ``status`` for a delivery by this courier (own or the channel's)."""
    limited = options.own_courier_only | options.channel_courier_only
    if order.service_type != ServiceType.DELIVERY or status not in limited:
        return True
    delivery = order.deliveries.order_by("-id").first()
    if delivery is None:
        return True  # who delivers is not known: send it, the channel's answer decides
    return status in (options.own_courier_only if delivery.by_restaurant else options.channel_courier_only)


def _record(
    order: Order,
    connection: Connection,
    module: ChannelModule,
    update: StatusUpdate,
    correlation_id: str | None,
    counted_from: datetime | None = None,
) -> SyncJob:
    options = module.features.options(Feature.POST_STATUS)
    assert isinstance(options, PostStatusOptions)
    status = update.status
    update = update.model_copy(update={"occurred_at": timezone.now()})
    return record_job(
        connection,
        SyncJob.Kind.ORDER_STATUS,
        {"order": order_ref(order).model_dump(mode="json"), "update": update.model_dump(mode="json")},
        target=f"order {order.display_code or order.channel_order_id} → {status}",
        order_id=order.pk,
        ordering_key=f"order:{order.pk}",
        # The channel only wants the latest step: a newer status supersedes a pending older one.
        coalesce_key="" if options.needs_every_step else f"status:{order.pk}",
        deadline_at=_deadline(order, connection, module, status, counted_from),
        correlation_id=correlation_id or order.correlation_id or None,
    )


def _deadline(
    order: Order, connection: Connection, module: ChannelModule, status: str, counted_from: datetime | None = None
) -> datetime | None:
    """When the channel stops taking ``status``, in the connection's market (``Deadline.in_markets``, by the
    restaurant's currency: Deliveroo's 7 minutes in Kuwait and the UAE)."""
    for deadline in module.deadlines:
        if deadline.status == status:
            placed = counted_from or order.placed_at
            return deadline.due_at(placed, confirm_by=order.confirm_by, scheduled_for=order.scheduled_for,
                                   currency=connection.restaurant.currency)
    return None
