"""Two-way mapping between a channel's status codes and canonical statuses."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..canonical import OrderStatus
from .errors import UnmappedStatus


@dataclass(frozen=True)
class StatusMap:
    """``inbound``: the channel's code → canonical; ``outbound``: canonical → the code we post.

    A code the channel sends but that has no canonical meaning (e.g. a courier
    sub-state) belongs in ``informational``: it is recorded, never applied.
    """

    inbound: Mapping[str, OrderStatus]
    outbound: Mapping[OrderStatus, str] = field(default_factory=dict)
    informational: frozenset[str] = frozenset()

    def to_canonical(self, code: str) -> OrderStatus | None:
        if code in self.inbound:
            return self.inbound[code]
        if code in self.informational:
            return None
        raise UnmappedStatus(f"the channel's status {code!r} has no canonical mapping")

    def to_channel(self, status: OrderStatus) -> str:
        try:
            return self.outbound[status]
        except KeyError:
            raise UnmappedStatus(f"canonical status {status!r} cannot be posted to this channel") from None
