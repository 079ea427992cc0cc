"""The platform's ``TokenStore``: OAuth tokens shared by every worker through Django's cache, encrypted."""

from __future__ import annotations

import hashlib
import json
import logging
import time

from django.core.cache import BaseCache, caches

from integrations.http import StoredToken
from integrations.http.redaction import remember_secret
from integrations.secrets import decrypt_text, encrypt_text

logger = logging.getLogger(__name__)


class DjangoCacheTokenStore:
    """Tokens in a Django cache (Redis in production), encrypted with the credentials key ring.

    One entry per cache key (a connection's credentials), so every worker
    reuses one token instead of each fetching its own. Entries expire from the
    cache when the token does. An entry that no longer decrypts (rotated keys)
    is treated as missing.
    """

    def __init__(self, alias: str = "default", prefix: str = "sinqro:oauth:") -> None:
        self.alias = alias
        self.prefix = prefix

    def _cache_key(self, key: str) -> str:
        return self.prefix + hashlib.sha256(key.encode()).hexdigest()[:40]

    def _cache(self) -> BaseCache:
        return caches[self.alias]

    def get(self, key: str) -> StoredToken | None:
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
        remember_secret(token.access_token)
        payload = encrypt_text(json.dumps({"access_token": token.access_token, "expires_at": token.expires_at}))
        timeout = max(1, int(token.expires_at - time.time()))
        self._cache().set(self._cache_key(key), payload, timeout=timeout)

    def delete(self, key: str) -> None:
        self._cache().delete(self._cache_key(key))
