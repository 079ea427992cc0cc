"""Inbound: Uber Eats webhooks are thin notifications signed with the app's client secret.

``X-Uber-Signature`` is the lowercase hex HMAC-SHA256 of the raw body keyed
with the client secret. The body names the event (``event_type``), its id
(``event_id``, the dedup key), when it happened (``event_time``, Unix
seconds) and the order (``meta.resource_id``, ``resource_href``); the order
itself must be fetched. Uber wants a 200 with an empty body (the module's ``acknowledgement``).

A new-order event keeps Uber's event type as its raw code (``channel_status``): ``orders.scheduled.notification``
is the only documented sign that an order is scheduled, and the client's ``get_announced_order`` reads it
there when it fetches the order. ``resource_href`` is "the full GET endpoint to retrieve the order details":
this module reads v2 orders, so an event pointing elsewhere (a store moved to another order API version) is
refused as malformed, loudly, instead of fetching a shape we do not know.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from canonical import Cancellation, CancelledBy, InboundEvent, InboundEventKind
from integrations.channels.context import ConnectionInfo
from integrations.channels.errors import MalformedWebhook, WebhookRejected
from integrations.channels.payloads import read_json
from integrations.channels.webhook_auth import require_fresh_timestamp, require_hmac

from .vocabulary import EVENT_CANCELLED, EVENT_NEW, EVENT_RELEASE, ORDER_STATUSES

SIGNATURE_HEADER = "X-Uber-Signature"


def verify(connection: ConnectionInfo, body: bytes, headers: Mapping[str, str], now: datetime,
           tolerance: timedelta) -> None:
    credentials = connection.credentials
    secrets = [credentials.client_secret.get_secret_value()]
    if credentials.previous_client_secret:
        secrets.append(credentials.previous_client_secret.get_secret_value())
    require_hmac(secrets, body, headers.get(SIGNATURE_HEADER), header=SIGNATURE_HEADER)
    # The signature covers event_time, so an old event replayed with its signature is caught here. Uber's
    # retries keep the first event_time, so the window (Module.webhook_tolerance) spans its retry schedule.
    try:
        event_time = read_json(body).get("event_time")
    except (ValueError, AttributeError):
        return  # authentic but unreadable: parse_webhook reports it as malformed
    if event_time is None:
        raise WebhookRejected("event_time is missing from the signed body")
    require_fresh_timestamp(str(event_time), now, tolerance, header="event_time")


def _load(body: bytes) -> dict[str, Any]:
    try:
        data = read_json(body)
        if not isinstance(data, dict) or not data["event_id"] or not data["event_type"]:
            raise ValueError("event_id and event_type are required")
    except (ValueError, KeyError, TypeError) as exc:
        raise MalformedWebhook(f"not an Uber Eats webhook: {exc}") from None
    return data


def dedup_key(body: bytes) -> str | None:
    try:
        event_id = read_json(body).get("event_id")
    except (ValueError, AttributeError):
        return None
    return f"event:{event_id}" if event_id else None


def _check_href(data: dict[str, Any], order_id: str) -> None:
    href = data.get("resource_href")
    if not href:
        return  # not sent: the documented GET is built from meta.resource_id
    path = urlsplit(str(href)).path.rstrip("/")
    if path != f"/v2/eats/order/{order_id}":
        raise MalformedWebhook(f"resource_href {href!r} is not the v2 order GET this module reads "
                               f"(/v2/eats/order/{order_id}): the store may be on another Uber order API version")


def parse(body: bytes) -> list[InboundEvent]:
    data = _load(body)
    event_type, event_id = data["event_type"], str(data["event_id"])
    meta = data.get("meta") or {}
    order_id = str(meta.get("resource_id") or "")
    occurred_at = datetime.fromtimestamp(int(data["event_time"]), UTC) if data.get("event_time") else None
    about_an_order = event_type in EVENT_NEW or event_type in EVENT_CANCELLED or event_type == EVENT_RELEASE
    if about_an_order and not order_id:
        raise MalformedWebhook(f"{event_type} without meta.resource_id")
    if about_an_order:
        _check_href(data, order_id)
    if event_type in EVENT_NEW:
        # Thin: the platform fetches the order (get_announced_order reads the event type as the scheduled sign).
        return [InboundEvent(kind=InboundEventKind.NEW_ORDER, event_id=event_id, channel_order_id=order_id,
                             occurred_at=occurred_at, channel_status=event_type)]
    if event_type in EVENT_CANCELLED:
        # "by the user or by Uber": neither the event nor the v2 order says who or why.
        return [InboundEvent(kind=InboundEventKind.STATUS_CHANGED, event_id=event_id, channel_order_id=order_id,
                             occurred_at=occurred_at, status=ORDER_STATUSES.to_canonical("CANCELED"),
                             channel_status="CANCELED",
                             cancellation=Cancellation(by=CancelledBy.UNKNOWN, cancelled_at=occurred_at))]
    if event_type == EVENT_RELEASE:
        # A kitchen signal on an accepted order: recorded, the order's status does not move.
        return [InboundEvent(kind=InboundEventKind.STATUS_CHANGED, event_id=event_id, channel_order_id=order_id,
                             occurred_at=occurred_at, status=None, channel_status=EVENT_RELEASE)]
    return [InboundEvent(kind=InboundEventKind.UNKNOWN, event_id=event_id,
                         ignored_reason=f"event type {event_type!r} is not handled")]
