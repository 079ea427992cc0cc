"""The channel SDK: the HTTP client channel modules use to call their channel's API.

A module builds a ``ChannelHttp`` with an auth strategy and calls
``get/post/put/patch/delete(path, operation=…)``; errors come back as
``RetryableChannelError`` / ``PermanentChannelError``.

Pure ``requests`` and the standard library: this package imports nothing of
the platform (no Django, no ORM, no key ring), so a module and its tests use it
alone. What the platform adds is injected: a ``CallRecorder`` (every call,
redacted and capped), a ``TokenStore`` (one OAuth token shared per
connection), timeouts and the body cap as arguments. ``MemoryCallRecorder``
and ``MemoryTokenStore`` stand in for them in a module's own tests; the
platform's versions live in ``integrations.calls``.
"""

from __future__ import annotations

from .auth import (
    ApiKeyHeader,
    AuthStrategy,
    CombinedAuth,
    HmacRequestSigning,
    OAuth2ClientCredentials,
    StaticToken,
)
from .client import ChannelHttp
from .error_parsing import ErrorParser, default_error_parser
from .errors import ChannelError, PermanentChannelError, RetryableChannelError, parse_retry_after
from .records import CallRecord, CallRecorder, MemoryCallRecorder, Outcome, cap_text
from .response import ChannelResponse
from .sessions import close_sessions, session_for
from .token_store import MemoryTokenStore, StoredToken, TokenStore
from .transport import Timeout

__all__ = [
    "ApiKeyHeader",
    "AuthStrategy",
    "CallRecord",
    "CallRecorder",
    "ChannelError",
    "ChannelHttp",
    "ChannelResponse",
    "CombinedAuth",
    "ErrorParser",
    "HmacRequestSigning",
    "MemoryCallRecorder",
    "MemoryTokenStore",
    "OAuth2ClientCredentials",
    "Outcome",
    "PermanentChannelError",
    "RetryableChannelError",
    "StaticToken",
    "StoredToken",
    "Timeout",
    "TokenStore",
    "cap_text",
    "close_sessions",
    "default_error_parser",
    "parse_retry_after",
    "session_for",
]
