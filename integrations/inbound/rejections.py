"""Requests we refuse before trusting them: counted per connection, with a small sample for support.

Unauthenticated bodies are never stored in full: at most ``SAMPLE_BYTES`` of
them, redacted, and only the newest ``WEBHOOK_REJECTIONS_KEPT`` rows per
connection, so a flood of bad requests cannot fill the database.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from django.conf import settings
from django.db.models import F

from integrations.models import Connection, WebhookRejection
from integrations.redaction import redact_text

from .headers import relevant_headers, storable_text

logger = logging.getLogger(__name__)

SAMPLE_BYTES = 1024


def body_sample(body: bytes) -> str:
    """The first KiB of a body as text: decoded with replacement, redacted, never longer than 1,024 characters."""
    text = storable_text(body[:SAMPLE_BYTES].decode("utf-8", errors="replace"))
    return redact_text(text)[:SAMPLE_BYTES]


def record_rejection(
    connection: Connection,
    *,
    status_code: int,
    reason: str,
    headers: Mapping[str, str],
    body: bytes,
    remote_addr: str | None,
) -> None:
    """Count the rejection on the connection and keep a capped sample. Never raises: the 4xx must go out."""
    try:
        Connection.objects.filter(pk=connection.pk).update(webhook_rejections=F("webhook_rejections") + 1)
        WebhookRejection.objects.create(
            connection=connection,
            status_code=status_code,
            reason=storable_text(reason)[:300],
            remote_addr=remote_addr,
            headers=relevant_headers(headers),
            body_sample=body_sample(body),
        )
        _keep_newest(connection)
    except Exception:
        logger.exception("could not record a webhook rejection for connection %s", connection.pk)


def _keep_newest(connection: Connection) -> None:
    keep = settings.WEBHOOK_REJECTIONS_KEPT
    rows = WebhookRejection.objects.filter(connection=connection)
    oldest_kept_out = list(rows.order_by("-id").values_list("id", flat=True)[keep : keep + 1])
    if oldest_kept_out:
        rows.filter(id__lte=oldest_kept_out[0]).delete()
