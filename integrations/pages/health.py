"""A connection's health in one word and one sentence, shared by the status page and the POS API.

A channel's business refusal (HTTP 409: "this ticket cannot go from NEW to READY") proves the channel
is reachable and answering: it belongs on the order it refused, not on the connection. Calls refused
that way do not make a connection "failing" here, though the call recorder counts every failed call.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from integrations.models import ChannelCall, Connection

HEALTH_STATES = ("ok", "failing", "circuit_open", "disabled")
BUSINESS_REFUSAL_CODES = frozenset({409})
"""What a channel answers when it understood the call and said no for a business reason."""
_LOOK_BACK = 50  # failed calls read to tell refusals from faults; a longer run of failures is a fault anyway


@dataclass(frozen=True)
class ConnectionHealth:
    state: str  # one of HEALTH_STATES
    reachable: bool
    summary: str


def connection_health(connection: Connection, now: datetime | None = None, zone: tzinfo | None = None
                      ) -> ConnectionHealth:
    """``zone``: the clock the reader reads times on (the restaurant's, on its page); the server's by default."""
    now = now or timezone.now()
    if not (connection.enabled and connection.channel.enabled):
        if not connection.enabled:
            return ConnectionHealth("disabled", False, _("the connection is disabled: nothing is sent or received"))
        return ConnectionHealth("disabled", False, _("the channel is disabled: nothing is sent or received"))
    if connection.circuit_is_open(now):
        until = timezone.localtime(connection.circuit_open_until, zone).strftime("%H:%M:%S")
        failures = connection.consecutive_failures
        return ConnectionHealth(
            "circuit_open", False,
            _("unreachable: calls paused until %(until)s (%(failures)s failures)") % {"until": until,
                                                                                     "failures": failures},
        )
    failures = connection.consecutive_failures
    if failures and not only_business_refusals(connection):
        return ConnectionHealth(
            "failing", True,
            ngettext("%(count)s failed call in a row: %(error)s", "%(count)s failed calls in a row: %(error)s",
                     failures) % {"count": failures, "error": connection.last_error[:200]},
        )
    return ConnectionHealth("ok", True, _("reachable"))


def only_business_refusals(connection: Connection) -> bool:
    """True when every call failed since the last good one was a business refusal (the channel said no)."""
    failures = connection.consecutive_failures
    if not failures or failures > _LOOK_BACK:
        return False
    calls = ChannelCall.objects.filter(connection=connection).exclude(outcome=ChannelCall.Outcome.OK)
    if connection.last_call_ok_at is not None:
        calls = calls.filter(created_at__gt=connection.last_call_ok_at)
    codes = list(calls.order_by("-created_at").values_list("status_code", flat=True)[:failures])
    return bool(codes) and all(code in BUSINESS_REFUSAL_CODES for code in codes)
