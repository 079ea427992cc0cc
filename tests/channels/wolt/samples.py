"""Wolt notifications as documented (docs/webhook), signed as Wolt signs them (hex HMAC-SHA256 of a body)."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime

SENT_AT = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
VENUE = "venue-1"
CLIENT_ID = "wolt-client-id-TEST"
CLIENT_SECRET = "wolt_client_SECRET_0123456789"
REFRESH_TOKEN = "wolt_REFRESH_first_0123456789"
WEBHOOK_SECRET = "wolt-webhook-SECRET-0123456789abcdef"


def note(status: str, event_id: str, order_id: str, *, at: datetime = SENT_AT, kind: str = "order.notification",
         venue: str = VENUE, **extra) -> bytes:
    order = {"id": order_id, "venue_id": venue, "status": status,
             "resource_url": f"https://pos-integration-service.wolt.com/orders/{order_id}"}
    if kind != "order.notification":
        del order["status"]
    body = {"id": event_id, "type": kind, "order": order, **extra,
            "created_at": at.isoformat().replace("+00:00", "Z")}
    return json.dumps(body, separators=(",", ":")).encode()


def sign(body: bytes, secret: str = WEBHOOK_SECRET) -> dict[str, str]:
    signature = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return {"Content-Type": "application/json", "WOLT-SIGNATURE": signature}
