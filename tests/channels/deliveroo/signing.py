"""Signing a body as Deliveroo does, for the tests' own bodies (the corpus' are signed in the fixtures)."""

from __future__ import annotations

import hashlib
import hmac

from integrations.channels.testkit import WebhookSample

SECRET = "sinqro-corpus-deliveroo-webhook-secret"


def headers_for(body: bytes, guid: str = "1600000001", secret: str = SECRET) -> dict[str, str]:
    signature = hmac.new(secret.encode(), guid.encode() + b" " + body, hashlib.sha256).hexdigest()
    return {"Content-Type": "application/json", "X-Deliveroo-Sequence-Guid": guid,
            "X-Deliveroo-Hmac-Sha256": signature}


def signed(name: str, body: bytes, guid: str = "1600000001") -> WebhookSample:
    return WebhookSample(name, body, headers_for(body, guid))
