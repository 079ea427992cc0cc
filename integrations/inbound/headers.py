"""Which request headers we keep, and how: redacted, bounded, storable in any database."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping

from integrations.redaction import redact_headers

# Transport and browser noise: never needed to re-process a webhook.
_DROPPED = frozenset(
    {
        "accept",
        "accept-encoding",
        "accept-language",
        "connection",
        "content-length",
        "cookie",
        "host",
        "keep-alive",
        "proxy-authorization",
        "te",
        "transfer-encoding",
        "upgrade",
    }
)
MAX_HEADERS = 40
MAX_VALUE_CHARS = 1000


def storable_text(value: str) -> str:
    """PostgreSQL text and jsonb refuse NUL characters; a channel (or an attacker) may send them."""
    return value.replace("\x00", "\ufffd")


def relevant_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """The headers worth keeping with a webhook: secrets masked, at most 40, values capped.

    Modules read these again at processing time (``parse_webhook`` gets them),
    so only transport noise is dropped.
    """
    kept: dict[str, str] = {}
    for name, value in headers.items():
        if name.lower() in _DROPPED:
            continue
        if len(kept) >= MAX_HEADERS:
            break
        kept[storable_text(name)[:100]] = storable_text(str(value))[:MAX_VALUE_CHARS]
    return redact_headers(kept)


def remote_addr(meta: Mapping[str, str]) -> str | None:
    """REMOTE_ADDR when it is an IP address (the model's field would refuse anything else)."""
    raw = meta.get("REMOTE_ADDR") or ""
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        return None
