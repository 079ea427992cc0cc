"""Where an order or reservation may go next, as data.

Each service type has a **flow**: a forward path and a few exits.

- The forward path is ordered. Moving to any later step is allowed, skipping
  steps included, because channels skip steps (many never send "preparing").
- A move to an earlier step is *stale*: channels deliver late and out of
  order, so an older status arriving after a newer one is recorded, never
  applied. Rank on the path decides, not timestamps, because channel clocks
  and ours disagree.
- An exit (rejected, cancelled, no_show) is allowed only from the statuses
  listed for it.
- The last step of the path and every exit are final: nothing leaves them.

Flow ends, chosen so each service type finishes where the customer's story ends:

- delivery: ``delivered`` (the courier handed it over);
- collection: ``picked_up`` (the customer collected it), so ``delivered`` is
  not a collection status;
- in situ: ``delivered`` (served at the table); nobody picks a dine-in order
  up, so ``picked_up`` is not an in-situ status;
- reservation: ``completed``.

``decide`` is a pure function: no database, no clock. ``orders.status`` is the
service that applies its decision to a row.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .enums import OrderStatus, ServiceType

S = OrderStatus


@dataclass(frozen=True)
class Flow:
    """The statuses one service type may take and how it moves between them."""

    noun: str  # how reasons name the thing: "order" or "reservation"
    path: tuple[str, ...]  # forward, in order; the last step is final
    exits: Mapping[str, tuple[str, ...]]  # exit status -> statuses it may be taken from

    @property
    def statuses(self) -> frozenset[str]:
        return frozenset(self.path) | frozenset(self.exits)

    @property
    def final(self) -> frozenset[str]:
        return frozenset({self.path[-1]}) | frozenset(self.exits)

    @property
    def initial(self) -> str:
        return self.path[0]


def _order_exits(path: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """A kitchen may reject only what it has not accepted; anyone may cancel until the end."""
    return {
        S.REJECTED: (S.RECEIVED,),
        S.CANCELLED: path[:-1],
    }


_DELIVERY_PATH = (S.RECEIVED, S.ACCEPTED, S.PREPARING, S.READY, S.PICKED_UP, S.DELIVERED)
_COLLECTION_PATH = (S.RECEIVED, S.ACCEPTED, S.PREPARING, S.READY, S.PICKED_UP)
_IN_SITU_PATH = (S.RECEIVED, S.ACCEPTED, S.PREPARING, S.READY, S.DELIVERED)
# arrived: the guests are at the door (TheFork Manager's ARRIVED), before a table is theirs.
_RESERVATION_PATH = (S.REQUESTED, S.CONFIRMED, S.ARRIVED, S.SEATED, S.COMPLETED)

FLOWS: Mapping[str, Flow] = {
    ServiceType.DELIVERY: Flow("order", _DELIVERY_PATH, _order_exits(_DELIVERY_PATH)),
    ServiceType.COLLECTION: Flow("order", _COLLECTION_PATH, _order_exits(_COLLECTION_PATH)),
    ServiceType.IN_SITU: Flow("order", _IN_SITU_PATH, _order_exits(_IN_SITU_PATH)),
    ServiceType.RESERVATION: Flow(
        "reservation",
        _RESERVATION_PATH,
        {
            S.REJECTED: (S.REQUESTED,),
            S.CANCELLED: _RESERVATION_PATH[:-1],
            # Only a guest who was expected can fail to show up.
            S.NO_SHOW: (S.REQUESTED, S.CONFIRMED),
        },
    ),
}

# How reasons name the statuses' owner, e.g. "not a status for reservations".
_FLOW_LABELS: Mapping[str, str] = {
    ServiceType.DELIVERY: "delivery orders",
    ServiceType.COLLECTION: "collection orders",
    ServiceType.IN_SITU: "in-situ orders",
    ServiceType.RESERVATION: "reservations",
}


@dataclass(frozen=True)
class Decision:
    """Whether a status move is applied, and why (the reason goes into the history as-is)."""

    applied: bool
    reason: str


def flow_for(service_type: str) -> Flow:
    """The flow of a service type; ``KeyError`` for one we do not know."""
    return FLOWS[service_type]


def initial_status(service_type: str) -> str:
    """The status a new order of this service type starts in (received, or requested for reservations)."""
    return flow_for(service_type).initial


def is_final_for(service_type: str, status: str) -> bool:
    """True if ``status`` ends the flow of ``service_type`` (e.g. picked_up ends collection, not delivery)."""
    flow = FLOWS.get(service_type)
    return flow is not None and status in flow.final


def decide(service_type: str, current: str, target: str) -> Decision:
    """Decide whether an order of ``service_type`` in ``current`` may move to ``target``.

    The checks run in this order, so a reason names the first rule that stops a move:
    unknown service type, target not in the flow, same status (a duplicate),
    current status final, current not in the flow, exit allowed or not,
    forward (or skipped forward), else stale.
    """
    flow = FLOWS.get(service_type)
    if flow is None:
        return Decision(False, f"unknown service type {service_type!r}")
    label = _FLOW_LABELS[service_type]
    if target not in flow.statuses:
        return Decision(False, f"{target} is not a status for {label}")
    if target == current:
        return Decision(False, "same status")
    if current in flow.final:
        return Decision(False, f"{flow.noun} is final ({current})")
    if current not in flow.statuses:
        # Bad data (e.g. the service type was edited); a human must look, not the machine.
        return Decision(False, f"current status {current} is not a status for {label}")

    allowed_from = flow.exits.get(target)
    if allowed_from is not None:
        if current in allowed_from:
            return Decision(True, f"{target} from {current}")
        return Decision(False, f"{target} not allowed from {current} (only from {', '.join(allowed_from)})")

    here, there = flow.path.index(current), flow.path.index(target)
    if there == here + 1:
        return Decision(True, "forward")
    if there > here:
        return Decision(True, f"skipped forward over {', '.join(flow.path[here + 1 : there])}")
    return Decision(False, f"stale: {target} is behind {current}")
