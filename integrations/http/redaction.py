"""Keep secrets out of call records, error messages and logs.

Part of the SDK, so a channel module (and its tests) gets the same masking as
the platform, whose logging filter (``integrations.redaction``) is built on it.

Two nets: every secret decrypted in this process is remembered (values only,
never where they came from) and replaced wherever it appears; and well-known
secret-bearing shapes (Authorization headers, ``"client_secret": "…"``, …)
are masked even when the value was never seen.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping
from typing import Any

MASK = "••••••"
_MIN_SECRET_LENGTH = 4
_MAX_REMEMBERED = 10_000

# Insertion-ordered, so the oldest secrets (expired OAuth tokens) are forgotten first.
_known: dict[str, None] = {}
_known_pattern: re.Pattern[str] | None = None
_pattern_stale = False
_lock = threading.Lock()

SECRET_KEY_NAMES = (
    "authorization",
    "api_key",
    "apikey",
    "x-api-key",
    "client_secret",
    "secret",
    "password",
    "token",
    "access_token",
    "refresh_token",
    "webhook_secret",
    "signing_secret",
)
_key_alternatives = "|".join(re.escape(k) for k in SECRET_KEY_NAMES)
# "key": "value"  /  key=value  /  Authorization: Bearer value
_SHAPES = [
    re.compile(rf'("(?:[\w-]*(?:{_key_alternatives}))"\s*:\s*")([^"]*)(")', re.IGNORECASE),
    re.compile(rf"((?:^|[?&\s\"'(,;])[\w-]*(?:{_key_alternatives})=)([^&\s\"',;)]+)()", re.IGNORECASE),
    re.compile(r"(\b(?:Bearer|Basic|Token)\s+)([A-Za-z0-9._~+/=-]+)()", re.IGNORECASE),
]


def remember_secret(value: str | None) -> None:
    """Remember a secret value so it is masked wherever it shows up later."""
    global _pattern_stale
    if not value or len(value) < _MIN_SECRET_LENGTH:
        return
    with _lock:
        if value in _known:
            return
        _known[value] = None
        while len(_known) > _MAX_REMEMBERED:
            del _known[next(iter(_known))]
        _pattern_stale = True  # rebuilt once, on the next redaction, however many secrets arrived


def _pattern() -> re.Pattern[str] | None:
    global _known_pattern, _pattern_stale
    if _pattern_stale:
        with _lock:
            if _pattern_stale:
                ordered = sorted(_known, key=len, reverse=True)
                _known_pattern = re.compile("|".join(re.escape(v) for v in ordered)) if ordered else None
                _pattern_stale = False
    return _known_pattern


def remember_secrets(values: Iterable[str | None]) -> None:
    """``remember_secret`` for each value (e.g. every field of decrypted credentials)."""
    for value in values:
        remember_secret(value)


def redact_text(text: str) -> str:
    """Mask every remembered secret and every secret-looking shape in ``text``."""
    if not text:
        return text
    pattern = _pattern()
    if pattern is not None:
        text = pattern.sub(MASK, text)
    for shape in _SHAPES:
        text = shape.sub(lambda m: f"{m.group(1)}{MASK}{m.group(3)}", text)
    return text


def redact_headers(headers: Mapping[str, Any]) -> dict[str, str]:
    """Headers with secret-bearing names masked and every value scrubbed."""
    clean: dict[str, str] = {}
    for name, value in headers.items():
        lowered = name.lower()
        if (
            any(key in lowered for key in SECRET_KEY_NAMES)
            or "signature" in lowered
            or lowered.endswith(("-key", "_key"))
        ):
            clean[name] = MASK
        else:
            clean[name] = redact_text(str(value))
    return clean
