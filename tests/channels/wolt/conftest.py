"""The Wolt simulator as its own process, for this folder's end-to-end tests (reset before each test)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from channel_simulators.testing import SimulatorProcess, running_simulator


@pytest.fixture(scope="session")
def wolt_process() -> Iterator[SimulatorProcess]:
    with running_simulator("wolt") as simulator:
        yield simulator


@pytest.fixture
def wolt(wolt_process: SimulatorProcess) -> SimulatorProcess:
    wolt_process.reset()
    return wolt_process
