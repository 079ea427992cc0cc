"""Where OAuth access tokens are cached, so workers share one token instead of each fetching its own.

The SDK only sees the ``TokenStore`` protocol and ships ``MemoryTokenStore``
(one process). The platform injects its shared, encrypted store
(``integrations.calls.DjangoCacheTokenStore``) through the transport it
hands a module.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from .redaction import remember_secret


@dataclass(frozen=True)
class StoredToken:
    """An access token and when it expires (Unix time, seconds)."""

    access_token: str
    expires_at: float

    def is_fresh(self, margin_seconds: float = 0.0, now: float | None = None) -> bool:
        """True while the token is still valid ``margin_seconds`` from now."""
        return (now if now is not None else time.time()) < self.expires_at - margin_seconds


@runtime_checkable
class TokenStore(Protocol):
    """A key/value store for tokens, shared by every client (and worker) using the same key.

    ``get`` returns None for a missing or unreadable entry (the caller then
    fetches a new token); implementations should ``remember_secret`` the
    tokens they hand out, so records and logs mask them.
    """

    def get(self, key: str) -> StoredToken | None: ...

    def set(self, key: str, token: StoredToken) -> None: ...

    def delete(self, key: str) -> None: ...


class MemoryTokenStore:
    """Tokens in this process's memory (thread-safe). For tests and single-process use."""

    def __init__(self) -> None:
        self._tokens: dict[str, StoredToken] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> StoredToken | None:
        with self._lock:
            return self._tokens.get(key)

    def set(self, key: str, token: StoredToken) -> None:
        remember_secret(token.access_token)
        with self._lock:
            self._tokens[key] = token

    def delete(self, key: str) -> None:
        with self._lock:
            self._tokens.pop(key, None)
