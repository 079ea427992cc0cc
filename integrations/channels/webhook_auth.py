"""Building blocks for ``verify_webhook``: constant-time HMAC and token checks, replay windows.

Every check accepts several secrets, so a channel's secret can be rotated
without rejecting webhooks signed with the old one in the meantime.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Literal

from .errors import WebhookRejected


def hmac_digest(secret: str, message: bytes, encoding: Literal["hex", "base64"] = "hex") -> str:
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return digest.hex() if encoding == "hex" else base64.b64encode(digest).decode()


def require_hmac(
    secrets: Iterable[str],
    message: bytes,
    signature: str | None,
    *,
    encoding: Literal["hex", "base64"] = "hex",
    header: str = "signature",
) -> None:
    """Accept if ``signature`` is the HMAC-SHA256 of ``message`` under any of ``secrets``."""
    if not signature:
        raise WebhookRejected(f"missing {header}")
    candidates = [secret for secret in secrets if secret]
    if not candidates:
        raise WebhookRejected("the connection has no webhook secret configured", status_code=403)
    given = signature.strip()
    if encoding == "hex":
        given = given.lower()
    for secret in candidates:
        if hmac.compare_digest(hmac_digest(secret, message, encoding), given):
            return
    raise WebhookRejected(f"{header} does not match the body")


def require_token(secrets: Iterable[str], given: str | None, *, header: str = "Authorization") -> None:
    """Accept if ``given`` equals one of ``secrets`` (constant time)."""
    if not given:
        raise WebhookRejected(f"missing {header}")
    for secret in secrets:
        if secret and hmac.compare_digest(secret.encode(), given.strip().encode()):
            return
    raise WebhookRejected(f"{header} is not valid for this connection", status_code=403)


def require_fresh_timestamp(raw: str | None, now: datetime, tolerance: timedelta, *, header: str = "timestamp") -> None:
    """Reject replays: the signed timestamp (Unix seconds) must be within ``tolerance`` of ``now``."""
    if not raw:
        raise WebhookRejected(f"missing {header}")
    try:
        sent = datetime.fromtimestamp(int(raw.strip()), tz=UTC)
    except (ValueError, OverflowError, OSError):
        raise WebhookRejected(f"{header} is not a Unix timestamp") from None
    if abs(now - sent) > tolerance:
        raise WebhookRejected(f"{header} is outside the {int(tolerance.total_seconds())} s tolerance (replay?)")
