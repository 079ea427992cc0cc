"""The HTTP client channel modules use to call their channel's API.

A module builds a ``ChannelHttp`` with an auth strategy and calls
``get/post/put/patch/delete(path, operation=…)``; errors come back as
``RetryableChannelError`` / ``PermanentChannelError``. The core is pure
``requests``: the platform injects the recorder (``db_recorder``) and the
token store (``DjangoCacheTokenStore``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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
from .records import CallRecord, Outcome, cap_text
from .response import ChannelResponse
from .sessions import close_sessions, session_for
from .token_store import DjangoCacheTokenStore, MemoryTokenStore, StoredToken, TokenStore
from .transport import Recorder

if TYPE_CHECKING:
    from .recording import db_recorder, platform_http_options

__all__ = [
    "ApiKeyHeader",
    "AuthStrategy",
    "CallRecord",
    "ChannelError",
    "ChannelHttp",
    "ChannelResponse",
    "CombinedAuth",
    "DjangoCacheTokenStore",
    "ErrorParser",
    "HmacRequestSigning",
    "MemoryTokenStore",
    "OAuth2ClientCredentials",
    "Outcome",
    "PermanentChannelError",
    "Recorder",
    "RetryableChannelError",
    "StaticToken",
    "StoredToken",
    "TokenStore",
    "cap_text",
    "close_sessions",
    "db_recorder",
    "default_error_parser",
    "parse_retry_after",
    "platform_http_options",
    "session_for",
]

_PLATFORM_NAMES = {"db_recorder", "platform_http_options"}


def __getattr__(name: str) -> Any:
    # The ORM-backed recorder is imported on first use, so importing the client never needs Django.
    if name in _PLATFORM_NAMES:
        from . import recording

        return getattr(recording, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
