"""What the platform hands a module: the connection's facts and a transport for HTTP."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
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

    def host_document(
        self, name: str, content: bytes, content_type: str, *, ttl: timedelta, bearer_token: str | None = None
    ) -> str:
        """Serve ``content`` at a public, unguessable URL for ``ttl``, for a channel that downloads a file
        (Glovo's ``menu_url``) instead of taking it in the request; the URL is returned.

        ``name`` says what the file is (for staff; not part of the URL's secret). ``bearer_token``: when given,
        the download must carry ``Authorization: Bearer <bearer_token>``; without it the URL is the only secret.
        """
        ...


@dataclass(frozen=True)
class HostedCopy:
    """One document a :class:`MemoryDocumentHost` holds, as the module handed it over."""

    name: str
    content: bytes
    content_type: str
    expires_at: datetime
    bearer_token: str | None


@dataclass
class MemoryDocumentHost:
    """``host_document`` for module tests: nothing is served, each document is kept under its URL.

    The URL is ``{base_url}/{name}``, readable in a test (the platform's own URLs carry a random token instead).
    """

    base_url: str = "https://sinqro.example"
    documents: dict[str, HostedCopy] = field(default_factory=dict)

    def host_document(
        self, name: str, content: bytes, content_type: str, *, ttl: timedelta, bearer_token: str | None = None
    ) -> str:
        url = f"{self.base_url.rstrip('/')}/{name.lstrip('/')}"
        self.documents[url] = HostedCopy(name, content, content_type, datetime.now(UTC) + ttl, bearer_token)
        return url
