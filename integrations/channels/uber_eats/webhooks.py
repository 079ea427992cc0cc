"""Inbound: Uber Eats webhooks are thin notifications signed with the app's client secret.

``X-Uber-Signature`` is the lowercase hex HMAC-SHA256 of the raw body keyed
with the client secret. The body names the event (``event_type``), its id
(``event_id``, the dedup key), when it happened (``event_time``, Unix
seconds) and the order (``meta.resource_id``, ``resource_href``); the order
itself must be fetched. Uber wants a 200 with an empty body.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from canonical import InboundEvent, InboundEventKind
from integrations.channels.context import ConnectionInfo
from integrations.channels.errors import MalformedWebhook, WebhookRejected
from integrations.channels.payloads import read_json
from integrations.channels.webhook_auth import require_fresh_timestamp, require_hmac

from .vocabulary import EVENT_NEW, EVENT_STATUS, ORDER_STATUSES

SIGNATURE_HEADER = "X-Uber-Signature"


def verify(connection: ConnectionInfo, body: bytes, headers: Mapping[str, str], now: datetime,
           tolerance: timedelta) -> None:
    credentials = connection.credentials
    secrets = [credentials.client_secret.get_secret_value()]
    if credentials.previous_client_secret:
        secrets.append(credentials.previous_client_secret.get_secret_value())
    require_hmac(secrets, body, headers.get(SIGNATURE_HEADER), header=SIGNATURE_HEADER)
    # The signature covers event_time, so an old event replayed with its signature is caught here.
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


def parse(body: bytes) -> list[InboundEvent]:
    data = _load(body)
    event_type, event_id = data["event_type"], str(data["event_id"])
    meta = data.get("meta") or {}
    order_id = str(meta.get("resource_id") or "")
    occurred_at = datetime.fromtimestamp(int(data["event_time"]), UTC) if data.get("event_time") else None
    if (event_type in EVENT_NEW or event_type in EVENT_STATUS) and not order_id:
        raise MalformedWebhook(f"{event_type} without meta.resource_id")
    if event_type in EVENT_NEW:
        # Thin: the platform fetches the order with get_order (one GET).
        return [InboundEvent(kind=InboundEventKind.NEW_ORDER, event_id=event_id, channel_order_id=order_id,
                             occurred_at=occurred_at)]
    if event_type in EVENT_STATUS:
        code = EVENT_STATUS[event_type]
        return [InboundEvent(kind=InboundEventKind.STATUS_CHANGED, event_id=event_id, channel_order_id=order_id,
                             occurred_at=occurred_at, status=ORDER_STATUSES.to_canonical(code), channel_status=code)]
    return [InboundEvent(kind=InboundEventKind.UNKNOWN, event_id=event_id,
                         ignored_reason=f"event type {event_type!r} is not handled")]
