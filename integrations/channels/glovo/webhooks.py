"""Inbound: Glovo POSTs the full order, or a cancellation, with the partner's shared token in ``Authorization``.

There is no signature and no timestamp: the token proves the sender, not
the body, so a replay is stopped only by the dedup key (order id + event).
Glovo registers two notification URLs ("Dispatched order notification endpoint (mandatory)", "Canceled
order notification endpoint (non-mandatory)", spec README 'API Credentials'); nothing in a body names its
kind, and our connection has one webhook URL (both registered to it), so the kind is told by shape: a new
order carries ``products``, a cancellation ``cancel_reason`` (``docs/OrderCancelled.md``). A body with
neither is stored as an unknown event, never dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from canonical import InboundEvent, InboundEventKind, OrderStatus
from integrations.channels.context import ConnectionInfo
from integrations.channels.errors import MalformedWebhook
from integrations.channels.payloads import read_json
from integrations.channels.webhook_auth import require_token

from .translate import order_to_canonical
from .vocabulary import cancellation_of

TOKEN_HEADER = "Authorization"


def verify(connection: ConnectionInfo, headers: Mapping[str, str]) -> None:
    credentials = connection.credentials
    tokens = [credentials.webhook_token.get_secret_value()]
    if credentials.previous_webhook_token:
        tokens.append(credentials.previous_webhook_token.get_secret_value())
    require_token(tokens, headers.get(TOKEN_HEADER), header=TOKEN_HEADER)


def _kind(data: dict[str, Any]) -> str:
    if "cancel_reason" in data:
        return "cancelled"
    if "products" in data:
        return "dispatched"
    return "unknown"


def dedup_key(body: bytes) -> str | None:
    try:
        data = read_json(body)
        return f"order:{data['order_id']}:{_kind(data)}"
    except (ValueError, KeyError, TypeError):
        return None


def parse(body: bytes, restaurant_timezone: str = "UTC") -> list[InboundEvent]:
    try:
        data = read_json(body)
        order_id = str(data["order_id"])
    except (ValueError, KeyError, TypeError) as exc:
        raise MalformedWebhook(f"not a Glovo notification: {exc}") from None
    kind = _kind(data)
    event_id = f"{order_id}:{kind}"
    try:
        if kind == "dispatched":
            order = order_to_canonical(data, restaurant_timezone)
            return [InboundEvent(kind=InboundEventKind.NEW_ORDER, event_id=event_id, channel_order_id=order_id,
                                 occurred_at=order.placed_at, order=order)]
        if kind == "cancelled":
            # No timestamp in the notification: the cancellation is dated by its receipt, on the platform's side.
            cancellation = cancellation_of(str(data.get("cancel_reason") or ""),
                                           str(data.get("payment_strategy") or ""))
            return [InboundEvent(kind=InboundEventKind.STATUS_CHANGED, event_id=event_id, channel_order_id=order_id,
                                 status=OrderStatus.CANCELLED, channel_status="CANCELLED",
                                 cancellation=cancellation)]
    except (KeyError, TypeError, ValueError, ValidationError) as exc:
        raise MalformedWebhook(f"Glovo order {order_id}: {exc}") from None
    return [InboundEvent(kind=InboundEventKind.UNKNOWN, event_id=event_id,
                         ignored_reason="neither an order nor a cancellation")]
