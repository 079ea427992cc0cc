"""Both simulators as real processes for their own tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from channel_simulators.testing import SimulatorProcess, WebhookInbox, running_simulator


@pytest.fixture(scope="module")
def uber() -> Iterator[SimulatorProcess]:
    with running_simulator("uber_eats") as simulator:
        yield simulator


@pytest.fixture(scope="module")
def glovo() -> Iterator[SimulatorProcess]:
    with running_simulator("glovo") as simulator:
        yield simulator


@pytest.fixture
def inbox() -> Iterator[WebhookInbox]:
    box = WebhookInbox()
    yield box
    box.close()
