"""Creating, checking and revoking API keys. The only code that sees a key in clear."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from restaurants.models import Restaurant

from .models import ApiKey

KEY_PREFIX = "sq_"  # makes a leaked key recognisable in logs and secret scanners
PREFIX_LENGTH = 8


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def create_api_key(
    restaurants: Iterable[Restaurant], name: str, by: AbstractBaseUser | None = None
) -> tuple[ApiKey, str]:
    """A new key for ``restaurants``; returns the row and the key, which is never shown again."""
    restaurants = list(restaurants)
    if not restaurants:
        raise ValueError("an API key must be scoped to at least one restaurant")
    api_key = ApiKey(name=name, created_by=by)
    key = assign_new_key(api_key)
    api_key.save()
    api_key.restaurants.set(restaurants)
    return api_key, key


def assign_new_key(api_key: ApiKey) -> str:
    """Give an unsaved row a fresh key (prefix + hash) and return the key in clear, for showing once."""
    while True:
        prefix = secrets.token_hex(PREFIX_LENGTH // 2)
        if not ApiKey.objects.filter(prefix=prefix).exists():
            break
    key = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    api_key.prefix, api_key.key_hash = prefix, hash_key(key)
    return key


def find_active_key(key: str) -> ApiKey | None:
    """The active key row matching ``key``, or None. The hash comparison is constant-time."""
    if not key.startswith(KEY_PREFIX):
        return None
    prefix = key[len(KEY_PREFIX) : len(KEY_PREFIX) + PREFIX_LENGTH]
    row = ApiKey.objects.active().filter(prefix=prefix).first()
    if row is None or not hmac.compare_digest(row.key_hash, hash_key(key)):
        return None
    return row


def revoke(api_key: ApiKey) -> None:
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at"])


def revoke_keys(keys: QuerySet[ApiKey]) -> int:
    """Revoke every key of ``keys`` not yet revoked; they stop working at once. Returns how many."""
    return keys.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


def touch(api_key: ApiKey) -> None:
    """Record use at most once a minute, so polling does not write on every request."""
    now = timezone.now()
    if api_key.last_used_at is None or (now - api_key.last_used_at).total_seconds() > 60:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        api_key.last_used_at = now
