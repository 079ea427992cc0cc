"""Every transition rule of every flow, written out here independently of canonical.state_machine's tables."""

from __future__ import annotations

import itertools

import pytest

from canonical import OrderStatus, is_final
from canonical.state_machine import FLOWS, Decision, decide, initial_status, is_final_for

PATHS = {
    "delivery": ("received", "accepted", "preparing", "ready", "picked_up", "delivered"),
    "collection": ("received", "accepted", "preparing", "ready", "picked_up"),
    "insitu": ("received", "accepted", "preparing", "ready", "delivered"),
    "reservation": ("requested", "confirmed", "arrived", "seated", "completed"),
}
NOUN = {"delivery": "order", "collection": "order", "insitu": "order", "reservation": "reservation"}
LABEL = {
    "delivery": "delivery orders",
    "collection": "collection orders",
    "insitu": "in-situ orders",
    "reservation": "reservations",
}
EXITS = {
    "delivery": {"rejected": ("received",), "cancelled": PATHS["delivery"][:-1]},
    "collection": {"rejected": ("received",), "cancelled": PATHS["collection"][:-1]},
    "insitu": {"rejected": ("received",), "cancelled": PATHS["insitu"][:-1]},
    "reservation": {
        "rejected": ("requested",),
        "cancelled": ("requested", "confirmed", "arrived", "seated"),
        "no_show": ("requested", "confirmed"),
    },
}
NOT_IN_FLOW = {
    "delivery": ("requested", "confirmed", "arrived", "seated", "completed", "no_show", "bogus"),
    "collection": ("delivered", "requested", "confirmed", "arrived", "seated", "completed", "no_show", "bogus"),
    "insitu": ("picked_up", "requested", "confirmed", "arrived", "seated", "completed", "no_show", "bogus"),
    "reservation": ("received", "accepted", "preparing", "ready", "picked_up", "delivered", "bogus"),
}


def statuses(service_type: str) -> tuple[str, ...]:
    return PATHS[service_type] + tuple(EXITS[service_type])


def finals(service_type: str) -> tuple[str, ...]:
    return (PATHS[service_type][-1], *EXITS[service_type])


def non_finals(service_type: str) -> tuple[str, ...]:
    return PATHS[service_type][:-1]


def cases(pick) -> list:
    return [pytest.param(st, *pair, id=f"{st}:{pair[0]}->{pair[1]}") for st in PATHS for pair in pick(st)]


# Forward


@pytest.mark.parametrize(("service_type", "current", "target"), cases(lambda st: itertools.pairwise(PATHS[st])))
def test_every_next_step_is_applied_as_forward(service_type, current, target):
    assert decide(service_type, current, target) == Decision(True, "forward")


@pytest.mark.parametrize(
    ("service_type", "current", "target"),
    cases(lambda st: [(a, b) for i, a in enumerate(PATHS[st]) for b in PATHS[st][i + 2 :]]),
)
def test_skipping_steps_forward_is_applied_and_names_what_was_skipped(service_type, current, target):
    path = PATHS[service_type]
    skipped = path[path.index(current) + 1 : path.index(target)]

    decision = decide(service_type, current, target)

    assert decision == Decision(True, f"skipped forward over {', '.join(skipped)}")


def test_delivery_skipping_preparing_reads_well():
    assert decide("delivery", "accepted", "ready").reason == "skipped forward over preparing"


# Backward, final, duplicate, foreign


@pytest.mark.parametrize(
    ("service_type", "current", "target"),
    cases(lambda st: [(a, b) for i, a in enumerate(non_finals(st)) for b in PATHS[st][:i]]),
)
def test_moving_backwards_is_stale(service_type, current, target):
    assert decide(service_type, current, target) == Decision(False, f"stale: {target} is behind {current}")


@pytest.mark.parametrize(
    ("service_type", "current", "target"),
    cases(lambda st: [(a, b) for a in finals(st) for b in statuses(st) if b != a]),
)
def test_nothing_leaves_a_final_status(service_type, current, target):
    assert decide(service_type, current, target) == Decision(False, f"{NOUN[service_type]} is final ({current})")


def test_final_reason_reads_well():
    assert decide("delivery", "delivered", "ready").reason == "order is final (delivered)"
    assert decide("reservation", "no_show", "seated").reason == "reservation is final (no_show)"


@pytest.mark.parametrize(("service_type", "current", "target"), cases(lambda st: [(s, s) for s in statuses(st)]))
def test_the_same_status_again_is_a_duplicate(service_type, current, target):
    assert decide(service_type, current, target) == Decision(False, "same status")


@pytest.mark.parametrize(
    ("service_type", "current", "target"),
    cases(lambda st: [(PATHS[st][0], bad) for bad in NOT_IN_FLOW[st]]),
)
def test_a_status_foreign_to_the_service_type_is_not_applied(service_type, current, target):
    assert decide(service_type, current, target) == Decision(
        False, f"{target} is not a status for {LABEL[service_type]}"
    )


def test_foreign_status_reason_reads_well():
    assert decide("reservation", "requested", "picked_up").reason == "picked_up is not a status for reservations"
    assert decide("collection", "ready", "delivered").reason == "delivered is not a status for collection orders"
    assert decide("insitu", "ready", "picked_up").reason == "picked_up is not a status for in-situ orders"


def test_unknown_service_type_is_not_applied():
    assert decide("teleport", "received", "accepted") == Decision(False, "unknown service type 'teleport'")


def test_a_current_status_foreign_to_the_flow_blocks_moves_for_a_human_to_fix():
    decision = decide("reservation", "preparing", "seated")

    assert decision == Decision(False, "current status preparing is not a status for reservations")


# Exits


@pytest.mark.parametrize(
    ("service_type", "current", "target"),
    cases(lambda st: [(a, "cancelled") for a in non_finals(st)]),
)
def test_cancel_is_applied_from_every_non_final_status(service_type, current, target):
    assert decide(service_type, current, target) == Decision(True, f"cancelled from {current}")


@pytest.mark.parametrize(("service_type", "current", "target"), cases(lambda st: [(PATHS[st][0], "rejected")]))
def test_reject_is_applied_before_acceptance(service_type, current, target):
    assert decide(service_type, current, target) == Decision(True, f"rejected from {current}")


@pytest.mark.parametrize(
    ("service_type", "current", "target"),
    cases(lambda st: [(a, "rejected") for a in non_finals(st)[1:]]),
)
def test_reject_after_acceptance_is_not_applied(service_type, current, target):
    only_from = PATHS[service_type][0]

    decision = decide(service_type, current, target)

    assert decision == Decision(False, f"rejected not allowed from {current} (only from {only_from})")


@pytest.mark.parametrize("current", ["requested", "confirmed"])
def test_no_show_is_applied_while_the_guest_is_expected(current):
    assert decide("reservation", current, "no_show") == Decision(True, f"no_show from {current}")


def test_no_show_after_seating_is_not_applied():
    decision = decide("reservation", "seated", "no_show")

    assert decision == Decision(False, "no_show not allowed from seated (only from requested, confirmed)")


@pytest.mark.parametrize("service_type", ["delivery", "collection", "insitu"])
def test_orders_have_no_no_show(service_type):
    assert not decide(service_type, "received", "no_show").applied


# The whole table at once: exactly the moves above are applied, nothing else.


@pytest.mark.parametrize("service_type", list(PATHS))
def test_exactly_the_documented_moves_are_applied(service_type):
    path = PATHS[service_type]
    expected = {(a, b) for i, a in enumerate(path) for b in path[i + 1 :]}
    expected |= {(a, exit_) for exit_, sources in EXITS[service_type].items() for a in sources}
    everything = set(OrderStatus.values) | {"bogus"}

    applied = {(a, b) for a in everything for b in everything if decide(service_type, a, b).applied}

    assert applied == expected


def test_flows_cover_every_service_type():
    assert set(FLOWS) == set(PATHS)


# Helpers


@pytest.mark.parametrize(
    ("status", "final"),
    [(s, s in {"rejected", "delivered", "cancelled", "completed", "no_show"}) for s in OrderStatus.values],
)
def test_is_final_is_true_for_the_statuses_that_end_every_flow(status, final):
    assert is_final(status) is final


@pytest.mark.parametrize(
    ("service_type", "status", "final"),
    [
        ("collection", "picked_up", True),
        ("delivery", "picked_up", False),
        ("delivery", "delivered", True),
        ("insitu", "delivered", True),
        ("insitu", "ready", False),
        ("reservation", "completed", True),
        ("reservation", "no_show", True),
        ("reservation", "seated", False),
        ("teleport", "delivered", False),
    ],
)
def test_is_final_for_depends_on_the_service_type(service_type, status, final):
    assert is_final_for(service_type, status) is final


@pytest.mark.parametrize(
    ("service_type", "status"),
    [("delivery", "received"), ("collection", "received"), ("insitu", "received"), ("reservation", "requested")],
)
def test_initial_status(service_type, status):
    assert initial_status(service_type) == status


def test_decision_is_immutable():
    decision = decide("delivery", "received", "accepted")

    with pytest.raises(AttributeError):
        decision.applied = False  # type: ignore[misc]


def test_arrived_guests_are_past_no_show_and_may_still_be_seated():
    """TheFork Manager marks guests ARRIVED before SEATED: arrived lies between them; a guest who came is no no-show."""
    assert decide("reservation", "confirmed", "arrived") == Decision(True, "forward")
    assert decide("reservation", "arrived", "seated") == Decision(True, "forward")
    assert decide("reservation", "seated", "arrived") == Decision(False, "stale: arrived is behind seated")
    assert not decide("reservation", "arrived", "no_show").applied
    assert decide("reservation", "requested", "seated") == Decision(True, "skipped forward over confirmed, arrived")

