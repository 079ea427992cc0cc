"""The platform's ``CallRecorder``: a ``ChannelCall`` row per call, and the connection's health."""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from integrations.http import CallRecord, cap_text
from integrations.http.records import redact_and_cap
from integrations.http.redaction import redact_headers, redact_text
from integrations.models import ChannelCall, Connection

logger = logging.getLogger("integrations.http")

LAST_ERROR_MAX = 500


class ChannelCallRecorder:
    """Writes a ``ChannelCall`` row per call and updates the connection's health.

    ``sync_attempt_id`` links the row to the outbound attempt that made it, so
    admin shows each attempt's requests and responses. Bodies are capped at
    ``body_cap`` (default: ``CHANNEL_CALL_BODY_CAP`` when the call is written)
    and everything is redacted again, so a record that did not come through
    the SDK's transport is stored just as safely.

    ok: ``last_call_ok_at`` = now, ``consecutive_failures`` = 0. Failure:
    ``last_call_failed_at`` = now, ``last_error`` (redacted, short) and
    ``consecutive_failures`` + 1 (an F() expression, so concurrent workers
    don't lose counts). It never raises: a failed write is logged and the
    channel call goes on.
    """

    def __init__(
        self, connection_id: int | None, sync_attempt_id: int | None = None, *, body_cap: int | None = None
    ) -> None:
        self.connection_id = connection_id
        self.sync_attempt_id = sync_attempt_id
        self.body_cap = body_cap

    def __call__(self, call: CallRecord, /) -> None:
        try:
            self._write(call)
        except Exception as exc:
            logger.error("Could not store the channel call record %s: %s", call.operation, redact_text(repr(exc)))

    def __repr__(self) -> str:
        return f"ChannelCallRecorder(connection_id={self.connection_id!r}, sync_attempt_id={self.sync_attempt_id!r})"

    def _write(self, call: CallRecord) -> None:
        cap: int = self.body_cap if self.body_cap is not None else settings.CHANNEL_CALL_BODY_CAP
        connection_id = self.connection_id
        now = timezone.now()
        # A savepoint: if the caller is inside a transaction, a failed write must not poison it.
        with transaction.atomic():
            if connection_id is not None and not _update_health(connection_id, call, now):
                connection_id = None  # the connection is gone: keep the record, without a dangling (deferred) FK
            ChannelCall.objects.create(
                connection_id=connection_id,
                sync_attempt_id=self.sync_attempt_id,
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
