"""One check per feature: call the module's client against the sandbox and judge what came back.

Each check returns a sentence for a pass, raises ``CheckFailed`` (or lets
the client's channel error through) for a failure, ``Skip`` when it cannot run.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from canonical import (
    DriverPosition,
    InboundEventKind,
    ItemKind,
    ItemUpdate,
    OrderStatus,
    PauseRequest,
    PublishResult,
    PublishState,
    ServiceType,
    StatusUpdate,
)
from catalog.export import build_canonical_catalog
from integrations.channels.features import (
    CatalogMode,
    Feature,
    PostAvailabilityOptions,
    PostStatusOptions,
    PublishCatalogOptions,
)
from integrations.connections import connection_info
from integrations.models import WebhookEvent
from integrations.outbound.services.availability import current_availability

from .context import CheckFailed, Skip, ValidationContext
from .sample import catalog_to_publish
from .space import restaurant_pause

S = OrderStatus
# Status walks that together post every status a channel can take: one test order per walk.
ORDER_WALKS = (
    (ServiceType.DELIVERY, (S.ACCEPTED, S.PREPARING, S.READY, S.PICKED_UP, S.DELIVERED)),
    (ServiceType.DELIVERY, (S.REJECTED,)),
    (ServiceType.DELIVERY, (S.ACCEPTED, S.CANCELLED)),
    (ServiceType.RESERVATION, (S.CONFIRMED, S.SEATED, S.COMPLETED)),
    (ServiceType.RESERVATION, (S.REJECTED,)),
    (ServiceType.RESERVATION, (S.NO_SHOW,)),
    (ServiceType.RESERVATION, (S.CONFIRMED, S.CANCELLED)),
)
POLL_INTERVAL = 0.25


def check_get_order(ctx: ValidationContext) -> str:
    ref = ctx.first_test_order()
    order = ctx.client.get_order(ref.channel_order_id)
    if order.channel_order_id != ref.channel_order_id:
        raise CheckFailed(f"asked for {ref.channel_order_id}, got {order.channel_order_id}")
    return f"fetched {order.channel_order_id}: {len(order.lines)} line(s), total {order.amounts.total.amount}"


def check_get_status(ctx: ValidationContext) -> str:
    ref = ctx.first_test_order()
    status = ctx.client.get_order_status(ref)
    if status.status is None:
        raise CheckFailed(f"the channel's status {status.channel_status!r} has no canonical meaning")
    return f"{ref.channel_order_id} is {status.channel_status} ({status.status})"


def check_publish_catalog(ctx: ValidationContext) -> str:
    options = ctx.module.features.options(Feature.PUBLISH_CATALOG)
    assert isinstance(options, PublishCatalogOptions)
    catalog, what = catalog_to_publish(ctx.connection.restaurant)
    done: list[str] = []
    if options.mode != CatalogMode.PARTIAL:
        result = _settle(ctx, ctx.client.publish_catalog(catalog), options)
        done.append(f"full upload of {what}" + (f" (upload {result.transaction_id})" if result.transaction_id else ""))
    if options.mode != CatalogMode.FULL:
        product = catalog.products[0]
        update = ItemUpdate(kind=ItemKind.PRODUCT, sku=product.sku, price=product.price, available=product.available)
        _settle(ctx, ctx.client.update_catalog_items([update]), options)
        done.append(f"partial update of {product.sku}")
    own = build_canonical_catalog(ctx.connection.restaurant)
    if catalog != own and options.mode != CatalogMode.PARTIAL:
        # The sample went up: the restaurant's own (empty) catalog goes back, so the store shows nothing of ours.
        _settle(ctx, ctx.client.publish_catalog(own), options)
        done.append("the restaurant's own catalog put back")
    return "; ".join(done)


def _settle(ctx: ValidationContext, result: PublishResult, options: PublishCatalogOptions) -> PublishResult:
    """Poll an asynchronous publish until the channel says done or failed."""
    deadline = time.monotonic() + settings.VALIDATION_PUBLISH_WAIT_SECONDS
    while result.state == PublishState.PROCESSING:
        if not (options.asynchronous and result.transaction_id):
            raise CheckFailed("the channel answered 'processing' without a transaction id to poll")
        if time.monotonic() > deadline:
            raise CheckFailed(f"upload {result.transaction_id} still processing after "
                              f"{settings.VALIDATION_PUBLISH_WAIT_SECONDS:.0f} s")
        time.sleep(POLL_INTERVAL)
        result = ctx.client.get_publish_result(result.transaction_id)
    if result.state == PublishState.FAILED:
        errors = "; ".join(result.errors) or "no reason given"
        raise CheckFailed(f"the channel rejected the catalog: {errors}")
    return result


def check_post_status(ctx: ValidationContext) -> str:
    options = ctx.module.features.options(Feature.POST_STATUS)
    assert isinstance(options, PostStatusOptions)
    accepted = set(options.statuses)
    posted: list[str] = []
    for service_type, walk in ORDER_WALKS:
        steps = [status for status in walk if status in accepted]
        no_reservations = service_type == ServiceType.RESERVATION and ctx.module.reservation_statuses is None
        if service_type not in options.service_types or not steps or no_reservations:
            continue
        ref = ctx.new_test_order(service_type)
        for status in steps:
            reason = "Sinqro validation" if status in options.reason_required_for else ""
            prep = 15 if status == S.ACCEPTED else None
            ctx.client.set_order_status(ref, StatusUpdate(status=status, reason=reason, prep_minutes=prep))
        if ctx.module.features.supports(Feature.GET_STATUS):
            seen = ctx.client.get_order_status(ref)
            if seen.status != steps[-1]:
                raise CheckFailed(f"posted {steps[-1]} on {ref.channel_order_id} but the channel reports "
                                  f"{seen.channel_status} ({seen.status})")
        posted.append(f"{' → '.join(steps)} ({service_type})")
    if not posted:
        raise Skip("the module declares no status it posts")
    missing = accepted - {status for _, walk in ORDER_WALKS for status in walk}
    note = f"; not exercised: {', '.join(sorted(missing))}" if missing else ""
    return "posted " + "; ".join(posted) + note


def check_post_delivery_location(ctx: ValidationContext) -> str:
    ref = ctx.first_test_order()
    position = DriverPosition(lat="40.416800", lng="-3.703800", recorded_at=timezone.now())
    ctx.client.update_delivery_location(ref, position)
    return f"posted {position.lat},{position.lng} for {ref.channel_order_id}"


def check_post_availability(ctx: ValidationContext) -> str:
    options = ctx.module.features.options(Feature.POST_AVAILABILITY)
    assert isinstance(options, PostAvailabilityOptions)
    done: list[str] = []
    if options.weekly_hours or options.exceptions:
        availability = current_availability(ctx.connection.restaurant)
        ctx.client.set_opening_hours(availability)
        done.append(f"hours ({len(availability.weekly)} weekly ranges, {len(availability.exceptions)} exceptions)")
    if options.pause:
        done.append(_pause_and_put_back(ctx, options))
    if not done:
        raise Skip("the module declares availability but none of hours, exceptions or pause")
    return "posted " + " and ".join(done)


def _pause_and_put_back(ctx: ValidationContext, options: PostAvailabilityOptions) -> str:
    """A 5-minute pause, then what the restaurant has told the channel: its own pause(s), or a resume if open."""
    own, services = restaurant_pause(ctx.connection, options.per_service_type)
    ctx.client.pause(PauseRequest(until=timezone.now() + timedelta(minutes=5), reason="Sinqro validation"))
    if own is not None:
        ctx.client.pause(own)
        put_back = f"the restaurant's own pause again (until {own.until or 'resumed'})"
    else:
        ctx.client.resume()
        put_back = "resume (the restaurant was open)"
    for pause in services:
        ctx.client.pause(pause)
    if services:
        put_back += f", and its {len(services)} one-service pause(s)"
    return f"a 5-minute pause, then {put_back}"


def check_webhook_new_order(ctx: ValidationContext) -> str:
    expected = {ref.channel_order_id for ref in ctx.test_orders} or {ctx.new_test_order().channel_order_id}
    kinds = {InboundEventKind.NEW_ORDER, InboundEventKind.NEW_RESERVATION}
    return _wait_for_webhook(ctx, lambda event: event.kind in kinds and event.channel_order_id in expected)


def check_webhook_status_changed(ctx: ValidationContext) -> str:
    ref = ctx.new_test_order(ServiceType.DELIVERY)  # raises Skip when the module has no sandbox tools
    assert ctx.tools is not None
    ctx.tools.change_status_on_channel(ref.channel_order_id, S.CANCELLED, ref.service_type)
    return _wait_for_webhook(
        ctx,
        lambda event: event.kind == InboundEventKind.STATUS_CHANGED and event.channel_order_id == ref.channel_order_id,
    )


def _wait_for_webhook(ctx: ValidationContext, wanted: Callable) -> str:
    """Wait for a stored webhook of this connection, since the run started, that parses into a wanted event."""
    info = connection_info(ctx.connection)
    wait = settings.VALIDATION_WEBHOOK_WAIT_SECONDS
    deadline = time.monotonic() + wait
    seen: set[int] = set()
    while True:
        events = WebhookEvent.objects.filter(connection=ctx.connection, received_at__gte=ctx.started_at).exclude(
            pk__in=seen
        )
        for event in events.order_by("received_at", "id"):
            seen.add(event.pk)
            try:
                parsed = ctx.module.parse_webhook(info, bytes(event.body), event.headers)
            except Exception:  # noqa: S112 — a body we cannot parse is not the one we wait for
                continue
            match = next((item for item in parsed if wanted(item)), None)
            if match is not None:
                delay = (event.received_at - ctx.started_at).total_seconds()
                what = f"{match.kind} for {match.channel_order_id}"
                return f"webhook {event.pk} ({what}) arrived {delay:.1f} s after the start"
        if time.monotonic() > deadline:
            raise CheckFailed(
                f"no matching webhook reached us within {wait:.0f} s ({len(seen)} other(s) arrived); "
                "can the channel reach this platform's public URL (SINQRO_PUBLIC_URL) and is the webhook URL "
                "registered there?"
            )
        time.sleep(POLL_INTERVAL)


CHECKS: dict[Feature, Callable[[ValidationContext], str]] = {
    Feature.GET_ORDER: check_get_order,
    Feature.GET_STATUS: check_get_status,
    Feature.PUBLISH_CATALOG: check_publish_catalog,
    Feature.POST_STATUS: check_post_status,
    Feature.POST_DELIVERY_LOCATION: check_post_delivery_location,
    Feature.POST_AVAILABILITY: check_post_availability,
    Feature.WEBHOOK_NEW_ORDER: check_webhook_new_order,
    Feature.WEBHOOK_STATUS_CHANGED: check_webhook_status_changed,
}
