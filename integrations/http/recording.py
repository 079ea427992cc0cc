"""Platform side: store each ``CallRecord`` as a ``ChannelCall`` row and keep the connection's health.

Uses the ORM, so it is not imported by the client core (import it from here,
or lazily from ``integrations.http``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from integrations.redaction import redact_headers, redact_text

from .records import CallRecord, cap_text, redact_and_cap

logger = logging.getLogger("integrations.http")

LAST_ERROR_MAX = 500


def db_recorder(connection_id: int | None, sync_attempt_id: int | None = None) -> Callable[[CallRecord], None]:
    """A recorder that writes a ``ChannelCall`` row per call and updates the connection's health.

    ``sync_attempt_id`` links the row to the outbound attempt that made it, so
    admin shows each attempt's requests and responses.

    ok: ``last_call_ok_at`` = now, ``consecutive_failures`` = 0. Failure:
    ``last_call_failed_at`` = now, ``last_error`` (redacted, short) and
    ``consecutive_failures`` + 1 (an F() expression, so concurrent workers
    don't lose counts). It never raises: a failed write is logged and the
    channel call goes on.
    """

    def record(call: CallRecord) -> None:
        try:
            _write(connection_id, call, sync_attempt_id)
        except Exception as exc:
            logger.error("Could not store the channel call record %s: %s", call.operation, redact_text(repr(exc)))

    return record


def platform_http_options(connection_id: int | None, sync_attempt_id: int | None = None) -> dict[str, Any]:
    """The keyword arguments the platform passes to ``ChannelHttp``: recorder, timeouts, body cap."""
    return {
        "recorder": db_recorder(connection_id, sync_attempt_id),
        "timeout": (settings.CHANNEL_CONNECT_TIMEOUT, settings.CHANNEL_READ_TIMEOUT),
        "body_cap": settings.CHANNEL_CALL_BODY_CAP,
    }


def _write(connection_id: int | None, call: CallRecord, sync_attempt_id: int | None = None) -> None:
    from integrations.models import ChannelCall

    cap: int = settings.CHANNEL_CALL_BODY_CAP
    now = timezone.now()
    # A savepoint: if the caller is inside a transaction, a failed write must not poison it.
    with transaction.atomic():
        if connection_id is not None and not _update_health(connection_id, call, now):
            connection_id = None  # the connection is gone: keep the record, without a dangling (deferred) FK
        ChannelCall.objects.create(
            connection_id=connection_id,
            sync_attempt_id=sync_attempt_id,
            operation=call.operation[:60],
            correlation_id=call.correlation_id[:64],
            method=call.method[:10],
            url=redact_text(call.url),
            request_headers=redact_headers(call.request_headers),
            request_body=redact_and_cap(call.request_body, cap),
            status_code=call.status_code,
            response_headers=redact_headers(call.response_headers),
            response_body=redact_and_cap(call.response_body, cap),
            duration_ms=max(0, call.duration_ms),
            outcome=call.outcome,
            error=redact_and_cap(call.error, cap),
        )


def _update_health(connection_id: int, call: CallRecord, now: datetime) -> bool:
    """Update the connection's health fields; False if the connection no longer exists."""
    from integrations.models import Connection

    connections = Connection.objects.filter(pk=connection_id)
    if call.outcome == "ok":
        return connections.update(last_call_ok_at=now, consecutive_failures=0, updated_at=now) > 0
    last_error = cap_text(redact_text(call.error or f"HTTP {call.status_code}"), LAST_ERROR_MAX)
    updated = connections.update(
        last_call_failed_at=now,
        last_error=last_error,
        consecutive_failures=F("consecutive_failures") + 1,
        updated_at=now,
    )
    return updated > 0
