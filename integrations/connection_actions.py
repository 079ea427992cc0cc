"""Switching connections on and off by hand (staff, in admin).

A disabled connection gets no new sync jobs; what its channel sends meanwhile is stored as
*held* (answered as usual, so the channel does not give up) and processed once it is enabled
again, or discarded by staff (``inbound.event_actions``). Each row is
saved on its own rather than by one ``update()``: saving sends ``post_save``, which is how
the webhook endpoint's per-process connection cache hears of the change at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from .inbound.event_actions import release_held
from .models import Connection


@dataclass(frozen=True)
class Switched:
    """Connections switched, those already so, and (when enabling) those whose channel is still off."""

    changed: tuple[int, ...]
    unchanged: tuple[int, ...] = ()
    channel_disabled: tuple[int, ...] = ()
    released: int = 0  # held webhooks sent to processing

    @property
    def count(self) -> int:
        return len(self.changed)


def set_enabled(connection_ids: Iterable[int], enabled: bool) -> Switched:
    """Enable or disable the connections; what changed.

    Enabling a connection of a disabled channel is allowed (the switches are independent)
    but reported, because it still neither receives nor sends until the channel is on.
    """
    changed: list[int] = []
    unchanged: list[int] = []
    channel_off: list[int] = []
    with transaction.atomic():
        rows = (
            Connection.objects.filter(pk__in=set(connection_ids))
            .select_related("channel")
            .only("id", "enabled", "updated_at", "channel__id", "channel__enabled")
            .select_for_update(of=("self",))
            .order_by("pk")
        )
        for connection in rows:
            if connection.enabled == enabled:
                unchanged.append(connection.pk)
            else:
                connection.enabled = enabled
                connection.save(update_fields=["enabled", "updated_at"])
                changed.append(connection.pk)
            if enabled and not connection.channel.enabled:
                channel_off.append(connection.pk)
        released = release_held(changed) if enabled else 0
    return Switched(tuple(changed), tuple(unchanged), tuple(channel_off), released)
