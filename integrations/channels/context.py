"""What the platform hands a module: the connection's facts and a transport for HTTP."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal, Protocol

import requests

from integrations.http import AuthStrategy, ChannelHttp, TokenStore

from .credentials import ChannelCredentials


@dataclass(frozen=True)
class ConnectionInfo:
    """One restaurant on one channel in one environment, as a module sees it (no ORM)."""

    connection_id: int
    store_id: str
    environment: Literal["sandbox", "production"]
    base_url: str
    credentials: ChannelCredentials
    timezone: str = "UTC"
    currency: str = "EUR"
    extra: Mapping[str, str] = field(default_factory=dict)


ErrorParser = Callable[[requests.Response], tuple[str | None, str]]


class ChannelTransport(Protocol):
    """The platform's side of HTTP: call recording, token caching, pooled sessions, timeouts."""

    token_store: TokenStore

    def http(
        self,
        base_url: str,
        *,
        auth: AuthStrategy | None = None,
        error_parser: ErrorParser | None = None,
        default_headers: Mapping[str, str] | None = None,
    ) -> ChannelHttp:
        """An HTTP client for ``base_url`` whose every call is recorded against the connection."""
        ...
