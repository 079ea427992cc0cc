"""A connection's health in one word and one sentence, shared by the status page and the POS API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from integrations.models import Connection

HEALTH_STATES = ("ok", "failing", "circuit_open", "disabled")


@dataclass(frozen=True)
class ConnectionHealth:
    state: str  # one of HEALTH_STATES
    reachable: bool
    summary: str


def connection_health(connection: Connection, now: datetime | None = None) -> ConnectionHealth:
    now = now or timezone.now()
    if not (connection.enabled and connection.channel.enabled):
        which = "connection" if not connection.enabled else "channel"
        return ConnectionHealth("disabled", False, f"the {which} is disabled: nothing is sent or received")
    if connection.circuit_is_open(now):
        until = timezone.localtime(connection.circuit_open_until).strftime("%H:%M:%S")
        failures = connection.consecutive_failures
        return ConnectionHealth("circuit_open", False, f"unreachable: calls paused until {until} ({failures} failures)")
    if connection.consecutive_failures:
        return ConnectionHealth(
            "failing", True, f"{connection.consecutive_failures} failed call(s) in a row: {connection.last_error[:200]}"
        )
    return ConnectionHealth("ok", True, "reachable")
