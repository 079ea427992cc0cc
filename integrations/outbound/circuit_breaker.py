"""Per-connection circuit breaker: stop calling a channel that keeps failing, for a while.

The failure count is ``Connection.consecutive_failures``, which the call
recorder keeps for every call (an F() increment, reset by any success), so
the breaker sees the failures of every worker. The circuit opens when that
count reaches ``OUTBOUND_CIRCUIT_FAILURES`` after a retryable failure, and
stays open ``OUTBOUND_CIRCUIT_OPEN_SECONDS``; jobs are then rescheduled to
the reopening time without a call. When it elapses the next job is the probe
(half-open): a success closes the circuit, a failure opens it again at once
because the count is still over the threshold.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from integrations.models import Connection


def open_until(connection_id: int, now: datetime | None = None) -> datetime | None:
    """When the connection's circuit closes, or None when calls may go now."""
    now = now or timezone.now()
    until = Connection.objects.filter(pk=connection_id).values_list("circuit_open_until", flat=True).first()
    return until if until is not None and until > now else None


def record_retryable_failure(connection_id: int, now: datetime | None = None) -> datetime | None:
    """Open the circuit if the connection failed often enough in a row; return until when (or None)."""
    now = now or timezone.now()
    failures = Connection.objects.filter(pk=connection_id).values_list("consecutive_failures", flat=True).first()
    if failures is None or failures < settings.OUTBOUND_CIRCUIT_FAILURES:
        return None
    until = now + timedelta(seconds=settings.OUTBOUND_CIRCUIT_OPEN_SECONDS)
    Connection.objects.filter(pk=connection_id).update(circuit_open_until=until, updated_at=now)
    return until


def record_success(connection_id: int) -> None:
    """A call went through: the channel is reachable again."""
    Connection.objects.filter(pk=connection_id, circuit_open_until__isnull=False).update(circuit_open_until=None)
