"""Moving an order's status: the one place that writes ``Order.status``.

Every request to move is written to the history, applied or not, so a stale
or duplicated webhook leaves a trace and no effect (at-least-once in,
exactly-once effect).

On time: whether a move applies is decided by the status's rank on the
service type's path (``canonical.state_machine.decide``), not by ``occurred_at``.
A late, older status is by construction behind the current one, so it is
stale; a forward status whose ``occurred_at`` is older than the last applied
change is still applied, because it carries news we did not have. Clocks of
channels, POS and us disagree; ranks do not.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from canonical.state_machine import decide

from .models import Order, StatusChange, StatusSource

# Sources whose report counts as news from the channel (see Order.last_channel_update_at).
_CHANNEL_SOURCES = frozenset({StatusSource.CHANNEL, StatusSource.RECONCILIATION})


def apply_status(
    order: Order,
    target: str,
    *,
    source: str,
    channel_status: str = "",
    channel_status_name: str = "",
    occurred_at: datetime | None = None,
    note: str = "",
    correlation_id: str = "",
) -> StatusChange:
    """Ask ``order`` to move to ``target``; record the request and apply it if the state machine allows.

    The order row is locked for the decision, so two workers handling two
    webhooks of the same order decide one after the other, on fresh data.
    Only an applied move changes ``status`` and ``channel_status``/``_name``.
    A report from the channel (or reconciliation) also advances
    ``last_channel_update_at`` even when not applied: it is still news that
    the channel is alive and where it thinks the order is.

    ``correlation_id`` ties the history row to what caused it (e.g. the webhook event).

    ``order`` (the caller's instance) is refreshed with the new values.
    """
    occurred_at = occurred_at or timezone.now()
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        decision = decide(locked.service_type, locked.status, target)
        change = StatusChange.objects.create(
            order=locked,
            from_status=locked.status,
            to_status=target,
            channel_status=channel_status,
            source=source,
            applied=decision.applied,
            reason=decision.reason,
            occurred_at=occurred_at,
            note=note,
            correlation_id=correlation_id[:64],
        )
        changed: list[str] = []
        if decision.applied:
            locked.status = target
            locked.channel_status = channel_status
            locked.channel_status_name = channel_status_name
            changed += ["status", "channel_status", "channel_status_name"]
        if source in _CHANNEL_SOURCES and (
            locked.last_channel_update_at is None or occurred_at > locked.last_channel_update_at
        ):
            locked.last_channel_update_at = occurred_at
            changed.append("last_channel_update_at")
        if changed:
            locked.save(update_fields=[*changed, "updated_at"])

    for field in ("status", "channel_status", "channel_status_name", "last_channel_update_at", "updated_at"):
        setattr(order, field, getattr(locked, field))
    return change
