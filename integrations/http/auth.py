"""Outbound auth strategies. A module picks one (or combines several) and hands it to ``ChannelHttp``.

Each strategy remembers its secrets with ``remember_secret`` so they are
masked in call records, errors and logs.
"""

from __future__ import annotations

import hashlib
import hmac
import json as jsonlib
import logging
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from typing import Literal

import requests

from .errors import PermanentChannelError
from .redaction import remember_secret
from .token_store import MemoryTokenStore, StoredToken, TokenStore
from .transport import Timeout, Transport

logger = logging.getLogger("integrations.http")


class AuthStrategy(ABC):
    """How a channel authenticates our calls.

    Subclass it for a channel with its own scheme (e.g. a self-signed JWT):
    implement ``apply``; override ``on_unauthorized`` if a retry after a 401
    can succeed. ``sensitive_headers`` are masked in call records by name.
    """

    sensitive_headers: tuple[str, ...] = ()

    @abstractmethod
    def apply(self, request: requests.PreparedRequest, transport: Transport | None = None) -> None:
        """Add credentials to ``request`` (called for every attempt, after the body is final)."""

    def on_unauthorized(self) -> bool:
        """The channel answered 401. Return True if retrying once may succeed (e.g. a token was dropped)."""
        return False


class ApiKeyHeader(AuthStrategy):
    """A static API key in a header, e.g. ``ApiKeyHeader("X-Market-Key", key)`` (Just Eat style)."""

    def __init__(self, header: str, key: str) -> None:
        self.header = header
        self._key = key
        self.sensitive_headers = (header,)
        remember_secret(key)

    def apply(self, request: requests.PreparedRequest, transport: Transport | None = None) -> None:
        request.headers[self.header] = self._key

    def __repr__(self) -> str:
        return f"ApiKeyHeader({self.header!r}, '••••••')"


class StaticToken(AuthStrategy):
    """A long-lived token in a header, as-is (Glovo) or with a scheme: ``StaticToken(t, scheme="Bearer")``."""

    def __init__(self, token: str, header: str = "Authorization", scheme: str | None = None) -> None:
        self.header = header
        self.scheme = scheme
        self._token = token
        self.sensitive_headers = (header,)
        remember_secret(token)

    def apply(self, request: requests.PreparedRequest, transport: Transport | None = None) -> None:
        request.headers[self.header] = f"{self.scheme} {self._token}" if self.scheme else self._token

    def __repr__(self) -> str:
        return f"StaticToken(header={self.header!r}, scheme={self.scheme!r})"


class HmacRequestSigning(AuthStrategy):
    """Signs each request: ``header`` = hex HMAC-SHA256 of ``f"{ts}.".encode() + body``, ``timestamp_header`` = ts.

    ``ts`` is Unix time in whole seconds. The channel verifies with ``HmacRequestSigning.signature``.
    """

    def __init__(
        self,
        secret: str,
        header: str = "X-Signature",
        timestamp_header: str = "X-Timestamp",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.header = header
        self.timestamp_header = timestamp_header
        self._secret = secret
        self._clock = clock
        self.sensitive_headers = (header,)
        remember_secret(secret)

    @staticmethod
    def signature(secret: str, timestamp: str, body: bytes) -> str:
        """The hex signature for ``timestamp`` and ``body`` (use it to verify, too)."""
        return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()

    def apply(self, request: requests.PreparedRequest, transport: Transport | None = None) -> None:
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode("utf-8")
        if not isinstance(body, bytes):
            raise TypeError("HmacRequestSigning needs an in-memory request body")
        timestamp = str(int(self._clock()))
        request.headers[self.timestamp_header] = timestamp
        request.headers[self.header] = self.signature(self._secret, timestamp, body)

    def __repr__(self) -> str:
        return f"HmacRequestSigning(header={self.header!r}, timestamp_header={self.timestamp_header!r})"


class CombinedAuth(AuthStrategy):
    """Several strategies applied in order, e.g. an API key plus request signing (signing last)."""

    def __init__(self, *strategies: AuthStrategy) -> None:
        self.strategies = strategies
        self.sensitive_headers = tuple(h for s in strategies for h in s.sensitive_headers)

    def apply(self, request: requests.PreparedRequest, transport: Transport | None = None) -> None:
        for strategy in self.strategies:
            strategy.apply(request, transport)

    def on_unauthorized(self) -> bool:
        return any([strategy.on_unauthorized() for strategy in self.strategies])


_default_store = MemoryTokenStore()
_fetch_locks: dict[str, threading.Lock] = {}
_fetch_locks_guard = threading.Lock()


def _fetch_lock(key: str) -> threading.Lock:
    with _fetch_locks_guard:
        return _fetch_locks.setdefault(key, threading.Lock())


_clock = time.time
"""Unix time for token lifetimes (``OAuth2ClientCredentials``); tests replace it instead of sleeping."""


class OAuth2ClientCredentials(AuthStrategy):
    """OAuth2 client-credentials grant (Uber Eats, Deliveroo): a cached bearer token, refreshed before expiry.

    The token is kept in ``token_store`` under ``cache_key``, so every client
    (and worker) sharing the store reuses it. It is refreshed
    ``refresh_margin_seconds`` before it expires (keep the margin well under
    the channel's token lifetime, or every call fetches a token). On a 401 from the API the
    cached token is dropped and the client retries the call once.

    The token request is a form POST with ``grant_type=client_credentials``;
    the client id/secret go in the form (``client_auth="body"``) or as HTTP
    Basic (``client_auth="basic"``). It is recorded as operation ``"oauth_token"``.
    A failed token request raises ``PermanentChannelError`` (4xx) or
    ``RetryableChannelError`` (5xx, 429, timeouts).
    """

    sensitive_headers = ("Authorization",)

    def __init__(
        self,
        token_url: str,
        client_id: str,
        client_secret: str,
        scope: str | None = None,
        *,
        token_store: TokenStore | None = None,
        cache_key: str | None = None,
        refresh_margin_seconds: float = 60.0,
        http_timeout: Timeout = (3.05, 15.0),
        client_auth: Literal["body", "basic"] = "body",
        extra_params: Mapping[str, str] | None = None,
        default_expires_in: float = 3600.0,
    ) -> None:
        self.token_url = token_url
        self.client_id = client_id
        self._client_secret = client_secret
        self.scope = scope
        self.token_store: TokenStore = token_store if token_store is not None else _default_store
        self.cache_key = cache_key or self._default_cache_key()
        self.refresh_margin_seconds = refresh_margin_seconds
        self.http_timeout = http_timeout
        self.client_auth = client_auth
        self.extra_params = dict(extra_params or {})
        self.default_expires_in = default_expires_in
        remember_secret(client_secret)

    def _default_cache_key(self) -> str:
        digest = hashlib.sha256(f"{self.token_url}|{self.client_id}|{self.scope or ''}".encode()).hexdigest()
        return f"oauth2cc:{digest[:32]}"

    def __repr__(self) -> str:
        return f"OAuth2ClientCredentials(token_url={self.token_url!r}, client_id={self.client_id!r})"

    def apply(self, request: requests.PreparedRequest, transport: Transport | None = None) -> None:
        request.headers["Authorization"] = f"Bearer {self.access_token(transport)}"

    def on_unauthorized(self) -> bool:
        self.token_store.delete(self.cache_key)
        return True

    def access_token(self, transport: Transport | None = None) -> str:
        """A valid access token: the cached one while fresh, else a new one (fetched once per process at a time)."""
        token = self._fresh_cached()
        if token is not None:
            return token
        with _fetch_lock(self.cache_key):
            token = self._fresh_cached()  # another thread may have fetched it meanwhile
            if token is not None:
                return token
            stored = self._fetch(transport or Transport(timeout=self.http_timeout))
            self.token_store.set(self.cache_key, stored)
            return stored.access_token

    def _fresh_cached(self) -> str | None:
        stored = self.token_store.get(self.cache_key)
        if stored is not None and stored.is_fresh(self.refresh_margin_seconds, now=_clock()):
            remember_secret(stored.access_token)
            return stored.access_token
        return None

    def _fetch(self, transport: Transport) -> StoredToken:
        form: dict[str, str] = {"grant_type": "client_credentials"}
        if self.scope:
            form["scope"] = self.scope
        form.update(self.extra_params)
        basic: tuple[str, str] | None = None
        if self.client_auth == "basic":
            basic = (self.client_id, self._client_secret)
        else:
            form["client_id"] = self.client_id
            form["client_secret"] = self._client_secret
        prepared = requests.Request(
            "POST", self.token_url, data=form, auth=basic, headers={"Accept": "application/json"}
        ).prepare()
        response = transport.send(
            prepared, operation="oauth_token", timeout=self.http_timeout, on_response=_remember_issued_token
        )
        try:
            payload = response.json()
            access_token = str(payload["access_token"])
        except (ValueError, KeyError, TypeError):
            raise PermanentChannelError(
                "The token endpoint answered without an access_token", status_code=response.status_code,
                operation="oauth_token",
            ) from None
        try:
            expires_in = float(payload.get("expires_in", self.default_expires_in))
        except (TypeError, ValueError):
            expires_in = self.default_expires_in
        return StoredToken(access_token=access_token, expires_at=_clock() + expires_in)


def _remember_issued_token(response: requests.Response) -> None:
    """Remember the token before the exchange is recorded, so the record masks it."""
    try:
        payload = jsonlib.loads(response.content or b"null")
    except ValueError:
        return
    if isinstance(payload, dict):
        for name in ("access_token", "refresh_token", "id_token"):
            value = payload.get(name)
            if isinstance(value, str):
                remember_secret(value)
