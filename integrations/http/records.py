"""What the client hands the recorder for every call (redacted and size-capped), and the recorder's shape.

The SDK never stores records itself: whoever builds the client injects a
``CallRecorder`` (the platform writes ``ChannelCall`` rows; a module's tests
use ``MemoryCallRecorder``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from threading import Lock
from typing import Any, Literal, Protocol, runtime_checkable
from urllib.parse import unquote_plus, urlsplit, urlunsplit

from .redaction import MASK, SECRET_KEY_NAMES, redact_headers, redact_text

Outcome = Literal["ok", "retryable", "permanent"]

# Redaction may shorten text, so redact a window a little larger than the cap:
# a secret straddling the window's edge then always falls past the cap.
_REDACTION_SLACK = 4096


@dataclass(frozen=True)
class CallRecord:
    """One HTTP exchange with a channel. Headers, bodies and the URL are already redacted and capped."""

    operation: str
    correlation_id: str
    method: str
    url: str
    request_headers: dict[str, str] = field(default_factory=dict)
    request_body: str = ""
    status_code: int | None = None
    response_headers: dict[str, str] = field(default_factory=dict)
    response_body: str = ""
    duration_ms: int = 0
    outcome: Outcome = "ok"
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"


@runtime_checkable
class CallRecorder(Protocol):
    """Receives one ``CallRecord`` per exchange, after redaction and capping.

    Any callable taking a record fits (``records.append`` does). It is called
    on the request's thread; an exception it raises is logged and never breaks
    the channel call.
    """

    def __call__(self, call: CallRecord, /) -> None: ...


class MemoryCallRecorder:
    """Keeps the records in ``calls``, in order (thread-safe): for tests and tools without a database."""

    def __init__(self) -> None:
        self.calls: list[CallRecord] = []
        self._lock = Lock()

    def __call__(self, call: CallRecord, /) -> None:
        with self._lock:
            self.calls.append(call)

    def operations(self) -> list[str]:
        """The recorded operations, in order (e.g. ``["oauth_token", "get_order"]``)."""
        with self._lock:
            return [call.operation for call in self.calls]


def cap_text(text: str, cap: int) -> str:
    """``text`` cut to ``cap`` characters, with ``… [truncated N chars]`` appended when cut."""
    if cap < 0 or len(text) <= cap:
        return text
    return f"{text[:cap]}… [truncated {len(text) - cap} chars]"


def redact_and_cap(text: str, cap: int) -> str:
    """Redact secrets, then cap; large bodies are only scanned near the part that is kept."""
    if not text:
        return ""
    window_end = cap + _REDACTION_SLACK if cap >= 0 else len(text)
    window = redact_text(text[:window_end])
    dropped_outside = max(0, len(text) - window_end)
    if dropped_outside == 0 and (cap < 0 or len(window) <= cap):
        return window
    kept = window[:cap]
    return f"{kept}… [truncated {len(window) - len(kept) + dropped_outside} chars]"


def body_text(body: bytes | str | None, encoding: str | None = None) -> str:
    """A request/response body as text for the call log (undecodable bytes replaced)."""
    if body is None:
        return ""
    if isinstance(body, str):
        return body
    if isinstance(body, bytes | bytearray):
        return bytes(body).decode(encoding or "utf-8", errors="replace")
    return f"<{type(body).__name__} body not recorded>"


def _is_secret_name(name: str) -> bool:
    lowered = name.lower()
    return any(key in lowered for key in SECRET_KEY_NAMES) or "signature" in lowered or lowered in {"key", "sig"}


def redact_url(url: str) -> str:
    """The URL with credentials in userinfo, secret-named query params and remembered secrets masked."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return redact_text(url)
    netloc = parts.netloc
    if "@" in netloc:
        netloc = f"{MASK}@{netloc.rsplit('@', 1)[1]}"
    query = parts.query
    if query:
        query = "&".join(_mask_query_pair(pair) for pair in query.split("&"))
    return redact_text(urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment)))


def _mask_query_pair(pair: str) -> str:
    name, sep, _value = pair.partition("=")
    if sep and _is_secret_name(unquote_plus(name)):
        return f"{name}={MASK}"
    return pair


def clean_headers(headers: Mapping[str, Any], sensitive: tuple[str, ...] = ()) -> dict[str, str]:
    """Headers for the call log: secret-named headers and ``sensitive`` ones masked, values scrubbed."""
    masked = {name.lower() for name in sensitive}
    clean = redact_headers({str(k): v for k, v in headers.items()})
    return {name: (MASK if name.lower() in masked else value) for name, value in clean.items()}
