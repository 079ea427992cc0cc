"""Inbound: Wolt's thin notifications, signed with the secret the partner gave Wolt.

docs/marketplace-integrations/restaurant-self-delivery, "Wolt signature specification": notifications are signed
with HMAC-SHA256 of the request body, the string format is HEX, the signature is in the ``WOLT-SIGNATURE`` header,
keyed with the client secret the partner provides (different from the API credentials, at least 128 bits).

docs/webhook: the body is ``{id, type: "order.notification", order: {id, venue_id, status, resource_url},
created_at}``. It carries no order contents: the order is fetched. The page warns that ``resource_url`` "allows
to poll an outdated order payload" (Wolt runs two versions of the order payload), so this module never follows it:
the client fetches the current one, ``GET /v2/orders/{order.id}`` ("You can also hardcode the base URL and use the
order.id field's value"). ``courier.notification`` (the courier approaches, ``courier_details.courier_pickup_eta``)
and ``pickup_completed.notification`` (``details.is_pickup_completed``) are in docs/orderretailguide.

Wolt sends no timestamp header: the signed ``created_at`` is the replay check (the window spans Wolt's retries).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from canonical import CourierUpdate, InboundEvent, InboundEventKind
from integrations.channels.context import ConnectionInfo
from integrations.channels.errors import MalformedWebhook, UnmappedStatus, WebhookRejected
from integrations.channels.payloads import read_json
from integrations.channels.webhook_auth import require_hmac

from .translate import parse_time
from .vocabulary import COURIER_STAGES, NEW_ORDER_STATUS, ORDER_NOTIFICATION, ORDER_STATUSES

SIGNATURE_HEADER = "WOLT-SIGNATURE"


def verify(connection: ConnectionInfo, body: bytes, headers: Mapping[str, str], now: datetime,
           tolerance: timedelta) -> None:
    credentials = connection.credentials
    secrets = [credentials.webhook_secret.get_secret_value()]
    if credentials.previous_webhook_secret:
        secrets.append(credentials.previous_webhook_secret.get_secret_value())
    require_hmac(secrets, body, headers.get(SIGNATURE_HEADER), header=SIGNATURE_HEADER)
    try:
        created_at = read_json(body).get("created_at")
    except (ValueError, AttributeError):
        return  # authentic but unreadable: parse reports it as malformed
    if not created_at:
        raise WebhookRejected("created_at is missing from the signed body")
    try:
        sent = parse_time(str(created_at))
    except ValueError:
        raise WebhookRejected("created_at is not an ISO-8601 instant") from None
    if sent is None or sent.tzinfo is None or abs(now - sent) > tolerance:
        raise WebhookRejected(f"created_at is outside the {int(tolerance.total_seconds())} s tolerance (replay?)")


def _load(body: bytes) -> dict[str, Any]:
    try:
        data = read_json(body)
        if not isinstance(data, dict) or not data["id"] or not data["type"]:
            raise ValueError("id and type are required")
    except (ValueError, KeyError, TypeError) as exc:
        raise MalformedWebhook(f"not a Wolt notification: {exc}") from None
    return data


def dedup_key(body: bytes) -> str | None:
    try:
        event_id = read_json(body).get("id")
    except (ValueError, AttributeError):
        return None
    return f"event:{event_id}" if event_id else None


def parse(connection: ConnectionInfo, body: bytes) -> list[InboundEvent]:
    data = _load(body)
    kind, event_id = str(data["type"]), str(data["id"])
    order = data.get("order")
    if not isinstance(order, dict) or not order.get("id"):
        raise MalformedWebhook(f"{kind} without order.id")
    order_id = str(order["id"])
    venue = order.get("venue_id")
    if venue and str(venue) != connection.store_id:
        return [InboundEvent(kind=InboundEventKind.UNKNOWN, event_id=event_id,
                             ignored_reason=f"for venue {venue}, not this connection's venue {connection.store_id}")]
    try:
        occurred_at = parse_time(data.get("created_at"))
    except ValueError:
        raise MalformedWebhook("created_at is not an ISO-8601 instant") from None
    if kind == ORDER_NOTIFICATION:
        status = str(order.get("status") or "")
        if not status:
            raise MalformedWebhook("order.notification without order.status")
        if status == NEW_ORDER_STATUS:
            # Thin: the platform fetches the current order (never resource_url, documented as outdated).
            return [InboundEvent(kind=InboundEventKind.NEW_ORDER, event_id=event_id, channel_order_id=order_id,
                                 occurred_at=occurred_at, channel_status=status)]
        try:
            canonical = ORDER_STATUSES.to_canonical(status)
        except UnmappedStatus:  # e.g. REVIEW: stored with the body, never applied
            return [InboundEvent(kind=InboundEventKind.UNKNOWN, event_id=event_id,
                                 ignored_reason=f"order status {status!r} has no meaning for the order")]
        return [InboundEvent(kind=InboundEventKind.STATUS_CHANGED, event_id=event_id, channel_order_id=order_id,
                             occurred_at=occurred_at, status=canonical, channel_status=status)]
    if kind in COURIER_STAGES:
        return [InboundEvent(kind=InboundEventKind.COURIER_UPDATE, event_id=event_id, channel_order_id=order_id,
                             occurred_at=occurred_at, courier=_courier(kind, data))]
    return [InboundEvent(kind=InboundEventKind.UNKNOWN, event_id=event_id,
                         ignored_reason=f"notification type {kind!r} is not handled")]


def _courier(kind: str, data: dict[str, Any]) -> CourierUpdate:
    if kind == "courier.notification":
        details = data.get("courier_details") or {}
        try:
            eta = parse_time(details.get("courier_pickup_eta"))
        except ValueError:
            raise MalformedWebhook("courier_details.courier_pickup_eta is not an ISO-8601 instant") from None
        return CourierUpdate(stage=COURIER_STAGES[kind], channel_stage=kind, pickup_eta=eta)
    details = data.get("details") or {}
    if details.get("is_pickup_completed") is False:
        raise MalformedWebhook("pickup_completed.notification says the pickup is not completed")
    return CourierUpdate(stage=COURIER_STAGES[kind], channel_stage=kind)
