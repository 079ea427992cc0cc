"""Outbound auth: Wolt's OAuth 2.0 per venue, an authorization code turned into rotating refresh tokens.

docs/authentication20 and docs/authenticationssio (read in a third-party summary of those pages, see
docs/channels/wolt.md §1): a venue connects through Wolt's integration page (Self-Service Integration Onboarding);
the one-time ``code`` is exchanged for an access token (a JWT, one hour) and a refresh token (30 days, single
use: each refresh returns a new one, and reusing an old one revokes the new pair). Our calls carry
``Authorization: Bearer <access token>``.

The code exchange's access token (with its expiry) is used until it expires, then refreshed. The refresh token
Wolt rotates is kept beside the access token in the platform's token store, so every worker
uses the latest one; the connection's stored refresh token is the first one, used while the store holds none.
The store is a cache, not the credentials: when it loses the rotated token, the next refresh uses a spent one,
Wolt refuses it (a permanent error saying so) and the venue connects again (docs/channels/wolt.md §5).
"""

from __future__ import annotations

import threading
import time

import requests

from integrations.http import AuthStrategy, PermanentChannelError, StoredToken, TokenStore
from integrations.http.redaction import remember_secret
from integrations.http.transport import Transport

ACCESS_LIFETIME = 3600.0
REFRESH_LIFETIME = 30 * 24 * 3600.0
_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


def _lock(key: str) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(key, threading.Lock())


class WoltRefreshToken(AuthStrategy):
    """A cached bearer token from ``grant_type=refresh_token``; the rotated refresh token is kept for the next."""

    sensitive_headers = ("Authorization",)

    def __init__(self, token_url: str, client_id: str, client_secret: str, refresh_token: str, *,
                 token_store: TokenStore, cache_key: str, first_access_token: str = "",
                 first_access_expires_at: float = 0.0, refresh_margin_seconds: float = 60.0) -> None:
        self.token_url = token_url
        self.client_id = client_id
        self._client_secret = client_secret
        self._first_refresh_token = refresh_token
        self.token_store = token_store
        self.cache_key = cache_key
        self.refresh_key = f"{cache_key}:refresh"
        self.margin = refresh_margin_seconds
        self._first = StoredToken(access_token=first_access_token, expires_at=first_access_expires_at)
        remember_secret(client_secret)
        remember_secret(refresh_token)
        if first_access_token:
            remember_secret(first_access_token)

    def __repr__(self) -> str:
        return f"WoltRefreshToken(token_url={self.token_url!r}, client_id={self.client_id!r})"

    def apply(self, request: requests.PreparedRequest, transport: Transport | None = None) -> None:
        request.headers["Authorization"] = f"Bearer {self.access_token(transport)}"

    def on_unauthorized(self) -> bool:
        self.token_store.delete(self.cache_key)
        self._first = StoredToken(access_token="", expires_at=0.0)  # refused: refresh instead
        return True

    def _fresh(self) -> str | None:
        now = time.time()
        stored = self.token_store.get(self.cache_key)
        if stored is not None and stored.is_fresh(self.margin, now=now):
            return stored.access_token
        if stored is None and self._first.access_token and self._first.is_fresh(self.margin, now=now):
            return self._first.access_token
        return None

    def access_token(self, transport: Transport | None) -> str:
        token = self._fresh()
        if token is not None:
            return token
        with _lock(self.cache_key):
            token = self._fresh()
            if token is not None:
                return token
            return self._refresh(transport)

    def _refresh(self, transport: Transport | None) -> str:
        if transport is None:
            raise PermanentChannelError("no transport to refresh the Wolt token with", operation="oauth_token")
        rotated = self.token_store.get(self.refresh_key)
        refresh_token = rotated.access_token if rotated is not None else self._first_refresh_token
        form = {"grant_type": "refresh_token", "refresh_token": refresh_token, "client_id": self.client_id,
                "client_secret": self._client_secret}
        prepared = requests.Request("POST", self.token_url, data=form,
                                    headers={"Accept": "application/json"}).prepare()
        response = transport.send(prepared, operation="oauth_token", on_response=_remember_tokens)
        try:
            payload = response.json()
            access = str(payload["access_token"])
        except (ValueError, KeyError, TypeError):
            raise PermanentChannelError("Wolt's token endpoint answered without an access_token",
                                        status_code=response.status_code, operation="oauth_token") from None
        now = time.time()
        try:
            lifetime = float(payload.get("expires_in") or ACCESS_LIFETIME)
        except (TypeError, ValueError):
            lifetime = ACCESS_LIFETIME
        new_refresh = payload.get("refresh_token")
        if isinstance(new_refresh, str) and new_refresh:
            self.token_store.set(self.refresh_key, StoredToken(access_token=new_refresh,
                                                               expires_at=now + REFRESH_LIFETIME))
        self.token_store.set(self.cache_key, StoredToken(access_token=access, expires_at=now + lifetime))
        return access


def _remember_tokens(response: requests.Response) -> None:
    """Remember issued tokens before the exchange is recorded, so the record masks them."""
    try:
        payload = response.json()
    except ValueError:
        return
    if isinstance(payload, dict):
        for name in ("access_token", "refresh_token"):
            if isinstance(payload.get(name), str):
                remember_secret(payload[name])
