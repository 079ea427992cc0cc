"""The Deliveroo simulator for this package's tests: one process for the session, emptied for each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from channel_simulators.testing import SimulatorProcess, running_simulator


@pytest.fixture(scope="session")
def deliveroo_process() -> Iterator[SimulatorProcess]:
    with running_simulator("deliveroo") as simulator:
        yield simulator


@pytest.fixture
def deliveroo(deliveroo_process: SimulatorProcess) -> SimulatorProcess:
    deliveroo_process.reset()
    return deliveroo_process
