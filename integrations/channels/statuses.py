"""Two-way mapping between a channel's status codes and canonical statuses."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from canonical import OrderStatus, ServiceType

from .errors import UnmappedStatus


@dataclass(frozen=True)
class StatusMap:
    """``inbound``: the channel's code → canonical; ``outbound``: canonical → the code we post.

    A code the channel sends but that has no canonical meaning (e.g. a courier
    sub-state) belongs in ``informational``: it is recorded, never applied.
    Where one code means different things per service type (a takeaway
    "handed over" is our ``picked_up``, a delivery's is ``delivered``), the
    ``*_by_service`` maps override the general ones for that service type.
    """

    inbound: Mapping[str, OrderStatus]
    outbound: Mapping[OrderStatus, str] = field(default_factory=dict)
    informational: frozenset[str] = frozenset()
    inbound_by_service: Mapping[ServiceType, Mapping[str, OrderStatus]] = field(default_factory=dict)
    outbound_by_service: Mapping[ServiceType, Mapping[OrderStatus, str]] = field(default_factory=dict)

    def to_canonical(self, code: str, service_type: ServiceType | None = None) -> OrderStatus | None:
        specific = self.inbound_by_service.get(service_type, {}) if service_type else {}
        if code in specific:
            return specific[code]
        if code in self.inbound:
            return self.inbound[code]
        if code in self.informational:
            return None
        raise UnmappedStatus(f"the channel's status {code!r} has no canonical mapping")

    def to_channel(self, status: OrderStatus, service_type: ServiceType | None = None) -> str:
        specific = self.outbound_by_service.get(service_type, {}) if service_type else {}
        if status in specific:
            return specific[status]
        try:
            return self.outbound[status]
        except KeyError:
            raise UnmappedStatus(f"canonical status {status!r} cannot be posted to this channel") from None

    def all_outbound(self) -> dict[OrderStatus, str]:
        merged = dict(self.outbound)
        for mapping in self.outbound_by_service.values():
            merged.update(mapping)
        return merged
