"""Inbound: Deliveroo's order, rider and menu webhooks, HMAC-signed over the sequence GUID and the body.

Securing Webhooks (api-docs.deliveroo.com/docs/securing-webhooks): take ``X-Deliveroo-Sequence-Guid`` and
``X-Deliveroo-Hmac-Sha256`` (headers case-insensitive), compute the hex HMAC-SHA256 keyed with the *webhook
secret* (not the API client secret) over ``<guid> <raw body>`` (one space: ``order.new``, ``order.status_update``,
``rider.status_update`` and every other webhook; ``"<guid> \\n <body>"`` is only for the legacy POS
``new_order`` / ``cancel_order``, which this module does not take), and compare. The raw bytes are signed: we
verify before decoding anything. No timestamp is signed, so there is no replay window to check: a replay of an
event we hold is a duplicate by its GUID, and every effect is idempotent (statuses move forward only).

The body is ``{"event", "body"}``: an order event's ``body.order`` is the whole order; a rider event's ``body``
names the order and its riders; the menu webhook tells the result of a menu upload (a ``PUBLISH_RESULT`` event,
matched by the menu id to the publish job that waits for it).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from canonical import InboundEvent, InboundEventKind, PublishResult
from integrations.channels.context import ConnectionInfo
from integrations.channels.errors import MalformedWebhook, UnmappedStatus, WebhookRejected
from integrations.channels.payloads import read_json
from integrations.channels.webhook_auth import require_hmac

from .translate import courier_update, instant, order_to_canonical
from .vocabulary import EVENT_NEW, EVENT_RIDER, EVENT_STATUS, MENU_UPLOAD_RESULTS, ORDER_STATUSES

GUID_HEADER = "X-Deliveroo-Sequence-Guid"
SIGNATURE_HEADER = "X-Deliveroo-Hmac-Sha256"
PAYLOAD_TYPE_HEADER = "X-Deliveroo-Payload-Type"
MENU_PAYLOAD_TYPE = "webhook_menu"


def signed_message(guid: str, body: bytes) -> bytes:
    return guid.encode() + b" " + body


def verify(connection: ConnectionInfo, body: bytes, headers: Mapping[str, str]) -> None:
    credentials = connection.credentials
    secrets = [credentials.webhook_secret.get_secret_value()]
    if credentials.previous_webhook_secret:
        secrets.append(credentials.previous_webhook_secret.get_secret_value())
    guid = (headers.get(GUID_HEADER) or "").strip()
    if not guid:
        raise WebhookRejected(f"missing {GUID_HEADER}")
    require_hmac(secrets, signed_message(guid, body), headers.get(SIGNATURE_HEADER), header=SIGNATURE_HEADER)


def dedup_key(headers: Mapping[str, str]) -> str | None:
    guid = (headers.get(GUID_HEADER) or "").strip()
    return f"guid:{guid.lower()}"[:200] if guid else None


def _load(body: bytes) -> tuple[str, dict[str, Any]]:
    try:
        data = read_json(body)
        event, content = data["event"], data["body"]
        if not isinstance(event, str) or not isinstance(content, dict):
            raise TypeError("event must be a string and body an object")
    except (ValueError, KeyError, TypeError) as exc:
        raise MalformedWebhook(f"not a Deliveroo webhook: {exc}") from None
    return event, content


def parse(body: bytes, headers: Mapping[str, str]) -> list[InboundEvent]:
    event, content = _load(body)
    guid = (headers.get(GUID_HEADER) or "").strip().lower()
    try:
        if event in (EVENT_NEW, EVENT_STATUS):
            return _order_event(event, guid, content, body)
        if event == EVENT_RIDER:
            return _rider_event(guid, content)
        if (headers.get(PAYLOAD_TYPE_HEADER) or "").strip().lower() == MENU_PAYLOAD_TYPE:
            return _menu_event(guid, content)
    except (KeyError, TypeError, ValueError, ValidationError, UnmappedStatus) as exc:
        raise MalformedWebhook(f"Deliveroo {event}: {type(exc).__name__}: {exc}") from None
    reason = f"Deliveroo event {event!r} is not handled"
    return [InboundEvent(kind=InboundEventKind.UNKNOWN, event_id=guid or "unknown", ignored_reason=reason)]


def _order_event(event: str, guid: str, content: dict[str, Any], body: bytes) -> list[InboundEvent]:
    raw = json.loads(body)["body"]["order"]  # the order as sent, kept for support (not read through tracking)
    order = order_to_canonical(content["order"], raw=raw)
    if event == EVENT_NEW:
        return [InboundEvent(kind=InboundEventKind.NEW_ORDER, event_id=guid, channel_order_id=order.channel_order_id,
                             occurred_at=order.placed_at, order=order)]
    # A status update carries the whole order again: the change, then the snapshot (a new prepare_for or
    # confirm_at is taken by the order we hold; the order's status only moves forward).
    log = content["order"].get("status_log") or ()
    changed_at = max((instant(entry.get("at")) for entry in log if entry.get("at")), default=None)
    code = order.channel_status
    status_change = InboundEvent(
        kind=InboundEventKind.STATUS_CHANGED, event_id=guid, channel_order_id=order.channel_order_id,
        occurred_at=changed_at, status=ORDER_STATUSES.to_canonical(code, order.service_type), channel_status=code,
        cancellation=order.cancellation.model_copy(update={"cancelled_at": changed_at})
        if order.cancellation else None,
    )
    snapshot = InboundEvent(kind=InboundEventKind.NEW_ORDER, event_id=f"{guid}:order",
                            channel_order_id=order.channel_order_id, occurred_at=changed_at, order=order)
    return [status_change, snapshot]


def _rider_event(guid: str, content: dict[str, Any]) -> list[InboundEvent]:
    order_id = str(content["order_id"] or "")
    if not order_id:
        raise KeyError("order_id")
    update, at = courier_update(content)
    return [InboundEvent(kind=InboundEventKind.COURIER_UPDATE, event_id=guid, channel_order_id=order_id,
                         occurred_at=at, courier=update)]


def _menu_event(guid: str, content: dict[str, Any]) -> list[InboundEvent]:
    """The Menu webhook (payload type ``webhook_menu``): how the upload of ``menu_id`` went, its errors as sent.

    The body's fields (``menu_id``, ``status``, ``errors``) are NOT confirmed by Deliveroo's stored pages (only the
    headers are): docs/channels/deliveroo.md §2. The menu id is the upload's id: the client answers an upload
    ``processing`` with it, so the platform gives this result to that publish job.
    """
    menu_id = str(content["menu_id"] or "")
    if not menu_id:
        raise KeyError("menu_id")
    code = str(content["status"])
    if code not in MENU_UPLOAD_RESULTS:
        raise UnmappedStatus(f"menu upload status {code!r} (known: {', '.join(MENU_UPLOAD_RESULTS)})")
    errors = tuple(_words(error) for error in content.get("errors") or ())
    return [InboundEvent(kind=InboundEventKind.PUBLISH_RESULT, event_id=guid, publish=PublishResult(
        state=MENU_UPLOAD_RESULTS[code], transaction_id=menu_id, errors=errors))]


def _words(error: Any) -> str:
    """An error as Deliveroo words it: a string, or an object's ``message`` (with its ``code``)."""
    if isinstance(error, dict):
        code, message = error.get("code"), error.get("message")
        return f"{code}: {message}" if code and message else str(message or code or error)
    return str(error)
