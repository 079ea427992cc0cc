"""The platform's ``host_document``: a channel downloads a file we serve (Glovo fetches its ``menu_url``).

A document is stored with a random token (``secrets.token_urlsafe``, 256 bits) and served, with no login, at
``{SINQRO_PUBLIC_URL}/channel-files/<token>`` until it expires; the retention purge deletes expired ones.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from .models import HostedDocument


def host_document(connection_id: int | None, name: str, content: bytes, content_type: str, *, ttl: timedelta,
                  bearer_token: str | None = None) -> str:
    """Store the document and answer its public URL."""
    if ttl <= timedelta(0):
        raise ValueError("a hosted document needs a positive time to live")
    document = HostedDocument.objects.create(
        connection_id=connection_id, token=secrets.token_urlsafe(32), name=name[:200], content=content,
        content_type=content_type, bearer_token_hash=_hash(bearer_token) if bearer_token else "",
        expires_at=timezone.now() + ttl,
    )
    return document_url(document)


def document_url(document: HostedDocument) -> str:
    path = reverse("channel_file", kwargs={"token": document.token})
    return f"{settings.SINQRO_PUBLIC_URL.rstrip('/')}{path}"


def servable(token: str, now: datetime | None = None) -> HostedDocument | None:
    """The document behind ``token`` if it has not expired."""
    return HostedDocument.objects.filter(token=token, expires_at__gt=now or timezone.now()).first()


def bearer_accepted(document: HostedDocument, authorization: str) -> bool:
    """No Bearer token asked for, or ``Authorization: Bearer <the token>`` (compared in constant time)."""
    if not document.bearer_token_hash:
        return True
    scheme, _, given = authorization.partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        return False
    return hmac.compare_digest(_hash(given.strip()), document.bearer_token_hash)


def count_download(document: HostedDocument) -> None:
    HostedDocument.objects.filter(pk=document.pk).update(downloads=F("downloads") + 1,
                                                         last_downloaded_at=timezone.now())


def expired_documents(now: datetime):
    return HostedDocument.objects.filter(expires_at__lte=now)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
