"""Credentials encrypted at rest with a key ring (Fernet, rotation-friendly).

``SINQRO_SECRET_KEYS`` lists Fernet keys: new writes use the first, every
key still decrypts, so a key is rotated by putting a new one in front and
re-saving (``manage.py rotate_secrets``) before the old one is dropped.
"""

from __future__ import annotations

import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models.query_utils import DeferredAttribute

from .http.redaction import MASK, remember_secrets


class SecretDict(dict):
    """Decrypted credentials: a dict whose printed form never shows a value."""

    def __repr__(self) -> str:
        return "{" + ", ".join(f"{k!r}: {MASK!r}" for k in self) + "}"

    __str__ = __repr__


def key_ring() -> MultiFernet:
    keys = settings.SINQRO_SECRET_KEYS
    if not keys:
        raise ImproperlyConfigured("SINQRO_SECRET_KEYS is empty: credentials cannot be encrypted.")
    try:
        return MultiFernet([Fernet(key.encode() if isinstance(key, str) else key) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "SINQRO_SECRET_KEYS must be comma-separated Fernet keys "
            "(generate one with manage.py generate_secret_key)."
        ) from exc


def encrypt_text(plain: str) -> str:
    return key_ring().encrypt(plain.encode()).decode()


def decrypt_text(token: str) -> str:
    try:
        return key_ring().decrypt(token.encode()).decode()
    except InvalidToken:
        # Never include the token or anything derived from it.
        raise ImproperlyConfigured(
            "Stored credentials cannot be decrypted with the current key ring."
        ) from None


def rotate_token(token: str) -> str:
    """Re-encrypt a stored token with the first key of the ring."""
    return key_ring().rotate(token.encode()).decode()


class _SecretDictAttribute(DeferredAttribute):
    """Whatever dict is assigned to the field is held as a ``SecretDict``, so it never prints."""

    def __set__(self, instance: Any, value: Any) -> None:
        if isinstance(value, dict) and not isinstance(value, SecretDict):
            value = SecretDict(value)
        instance.__dict__[self.field.attname] = value


class EncryptedJSONField(models.TextField):
    """A JSON object stored as a Fernet token; reads back as a ``SecretDict``."""

    description = "Encrypted JSON object"
    descriptor_class = _SecretDictAttribute

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> SecretDict:
        return self._decrypt(value)

    def to_python(self, value: Any) -> SecretDict:
        if isinstance(value, dict):
            return SecretDict(value)
        return self._decrypt(value)

    def get_prep_value(self, value: Any) -> str:
        data = dict(value or {})
        return encrypt_text(json.dumps(data, sort_keys=True))

    def value_to_string(self, obj: Any) -> str:
        # Serialisation (dumpdata) keeps the ciphertext, never the clear text.
        return self.get_prep_value(self.value_from_object(obj))

    @staticmethod
    def _decrypt(value: str | None) -> SecretDict:
        if not value:
            return SecretDict()
        data = json.loads(decrypt_text(value))
        remember_secrets(str(v) for v in data.values() if v)
        return SecretDict(data)
