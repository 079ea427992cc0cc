"""Inbound: the Sandbox Market signs ``f"{timestamp}." + body`` with HMAC-SHA256 (hex, ``v1=`` prefix)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from pydantic import ValidationError

from canonical import InboundEvent, InboundEventKind, OrderStatus
from integrations.channels.context import ConnectionInfo
from integrations.channels.errors import MalformedWebhook, UnmappedStatus
from integrations.channels.payloads import read_json
from integrations.channels.webhook_auth import require_fresh_timestamp, require_hmac

from .translate import parse_time, ticket_to_order
from .vocabulary import BOOKING_ONLY_STATES, ORDER_STATUSES, RESERVATION_STATUSES

SIGNATURE_HEADER = "X-Market-Signature"
TIMESTAMP_HEADER = "X-Market-Timestamp"
EVENT_ID_HEADER = "X-Market-Event-Id"


def verify(
    connection: ConnectionInfo, body: bytes, headers: Mapping[str, str], now: datetime, tolerance: timedelta
) -> None:
    timestamp = headers.get(TIMESTAMP_HEADER)
    require_fresh_timestamp(timestamp, now, tolerance, header=TIMESTAMP_HEADER)
    signature = headers.get(SIGNATURE_HEADER) or ""
    if signature.startswith("v1="):
        signature = signature[3:]
    credentials = connection.credentials
    secrets = [credentials.webhook_secret.get_secret_value()]
    if credentials.previous_webhook_secret:
        secrets.append(credentials.previous_webhook_secret.get_secret_value())
    require_hmac(secrets, f"{timestamp}.".encode() + body, signature, header=SIGNATURE_HEADER)


def dedup_key(body: bytes, headers: Mapping[str, str]) -> str | None:
    """The event id inside the signed body (the header copy is not signed, so a replay could change it)."""
    try:
        event_id = read_json(body).get("event_id")
    except (ValueError, AttributeError):
        return None
    return f"event:{event_id}"[:200] if isinstance(event_id, str) and event_id else None


def _status_of(state: str) -> OrderStatus | None:
    """The webhook does not say whether the ticket is a booking; booking-only state names tell.

    The platform maps ``channel_status`` again with the stored order's service type.
    """
    status_map = RESERVATION_STATUSES if state in BOOKING_ONLY_STATES else ORDER_STATUSES
    return status_map.to_canonical(state)


def parse(body: bytes) -> list[InboundEvent]:
    try:
        data = read_json(body)
        event_type = data["event"]
        event_id = data["event_id"]
    except (ValueError, KeyError, TypeError) as exc:
        raise MalformedWebhook(f"not a Sandbox Market event: {exc}") from None
    try:
        occurred_at = parse_time(data.get("occurred_at"))
        ticket_id = data.get("ticket_id") or ""
        if event_type in ("ticket.created", "booking.created"):
            kind = InboundEventKind.NEW_RESERVATION if event_type == "booking.created" else InboundEventKind.NEW_ORDER
            order = ticket_to_order(data["ticket"]) if data.get("ticket") else None
            return [
                InboundEvent(
                    kind=kind, event_id=event_id, channel_order_id=ticket_id, occurred_at=occurred_at, order=order
                )
            ]
        if event_type == "ticket.state_changed":
            state = data["state"]
            status = _status_of(state)
            return [
                InboundEvent(
                    kind=InboundEventKind.STATUS_CHANGED,
                    event_id=event_id,
                    channel_order_id=ticket_id,
                    occurred_at=occurred_at,
                    status=status,
                    channel_status=state,
                )
            ]
    except (KeyError, TypeError, ValueError, ValidationError, UnmappedStatus) as exc:
        raise MalformedWebhook(f"{event_type}: {exc}") from None
    return [
        InboundEvent(
            kind=InboundEventKind.UNKNOWN,
            event_id=event_id,
            ignored_reason=f"event type {event_type!r} is not handled",
        )
    ]
