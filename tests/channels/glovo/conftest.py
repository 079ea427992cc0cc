"""The Glovo simulator as its own process, one per session, emptied for each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from channel_simulators.testing import SimulatorProcess, WebhookInbox, running_simulator


@pytest.fixture(scope="session")
def glovo_process() -> Iterator[SimulatorProcess]:
    with running_simulator("glovo") as simulator:
        yield simulator


@pytest.fixture
def glovo(glovo_process: SimulatorProcess) -> SimulatorProcess:
    glovo_process.reset()
    return glovo_process


@pytest.fixture
def inbox() -> Iterator[WebhookInbox]:
    box = WebhookInbox()
    yield box
    box.close()
