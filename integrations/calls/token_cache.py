"""The platform's ``TokenStore``: tokens shared by every worker, encrypted, in the cache and the database."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from datetime import UTC, datetime

from django.core.cache import BaseCache, caches
from django.db import DatabaseError

from integrations.http import StoredToken
from integrations.http.redaction import remember_secret
from integrations.models import ChannelToken
from integrations.secrets import decrypt_text, encrypt_text

logger = logging.getLogger(__name__)


class DjangoCacheTokenStore:
    """Tokens in a Django cache (Redis in production) in front of the database, encrypted with the key ring.

    One entry per key (a connection's credentials), so every worker reuses one
    token instead of each fetching its own. Entries expire when the token does.
    The database row (``ChannelToken``) outlives a cache restart or eviction: a
    channel that rotates its refresh token on each use (Wolt) keeps the only
    valid one there. An entry that no longer decrypts (rotated keys) is treated
    as missing.
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
            raw = self._from_database(key)
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
        expires_at = datetime.fromtimestamp(token.expires_at, UTC)
        ChannelToken.objects.update_or_create(
            key=self._cache_key(key), defaults={"secret": payload, "expires_at": expires_at}
        )
        ChannelToken.objects.filter(expires_at__lt=datetime.now(UTC)).delete()  # tokens nobody can use any more

    def delete(self, key: str) -> None:
        self._cache().delete(self._cache_key(key))
        ChannelToken.objects.filter(key=self._cache_key(key)).delete()

    def _from_database(self, key: str) -> str | None:
        """The token's row when the cache lost it (restart, eviction), put back in the cache; None if none."""
        try:
            row = ChannelToken.objects.filter(key=self._cache_key(key), expires_at__gt=datetime.now(UTC)).first()
        except DatabaseError:  # no table yet (before migrate): as good as no token
            logger.warning("Channel tokens could not be read from the database")
            return None
        if row is None:
            return None
        timeout = max(1, int(row.expires_at.timestamp() - time.time()))
        self._cache().set(self._cache_key(key), row.secret, timeout=timeout)
        return row.secret
