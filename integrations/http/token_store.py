"""Where OAuth access tokens are cached, so workers share one token instead of each fetching its own.

The client core only sees the ``TokenStore`` protocol. ``DjangoCacheTokenStore``
is the platform's implementation; it imports Django lazily so this module
stays importable without Django settings.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from integrations.redaction import remember_secret

logger = logging.getLogger(__name__)


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
    """A key/value store for tokens, shared by every client (and worker) using the same key."""

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


class DjangoCacheTokenStore:
    """Tokens in a Django cache (Redis in production), encrypted with the credentials key ring.

    Entries expire from the cache when the token does. An entry that no longer
    decrypts (rotated keys) is treated as missing.
    """

    def __init__(self, alias: str = "default", prefix: str = "sinqro:oauth:") -> None:
        self.alias = alias
        self.prefix = prefix

    def _cache_key(self, key: str) -> str:
        return self.prefix + hashlib.sha256(key.encode()).hexdigest()[:40]

    def _cache(self) -> Any:  # django.core.cache.BaseCache, imported lazily
        from django.core.cache import caches

        return caches[self.alias]

    def get(self, key: str) -> StoredToken | None:
        from integrations.secrets import decrypt_text

        raw = self._cache().get(self._cache_key(key))
        if not raw:
            return None
        try:
            data = json.loads(decrypt_text(raw))
            token = StoredToken(access_token=str(data["access_token"]), expires_at=float(data["expires_at"]))
        except Exception:  # undecryptable or malformed: fetch a new token instead
            logger.warning("Discarding an unreadable cached channel token")
            self.delete(key)
            return None
        remember_secret(token.access_token)
        return token

    def set(self, key: str, token: StoredToken) -> None:
        from integrations.secrets import encrypt_text

        remember_secret(token.access_token)
        payload = encrypt_text(json.dumps({"access_token": token.access_token, "expires_at": token.expires_at}))
        timeout = max(1, int(token.expires_at - time.time()))
        self._cache().set(self._cache_key(key), payload, timeout=timeout)

    def delete(self, key: str) -> None:
        self._cache().delete(self._cache_key(key))
