"""The Uber Eats simulator as its own process, one per session, emptied for each test."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from channel_simulators.testing import SimulatorProcess, WebhookInbox, running_simulator


@pytest.fixture(scope="session")
def uber_process() -> Iterator[SimulatorProcess]:
    with running_simulator("uber_eats") as simulator:
        yield simulator


@pytest.fixture
def uber(uber_process: SimulatorProcess) -> SimulatorProcess:
    uber_process.reset()
    return uber_process


@pytest.fixture
def inbox() -> Iterator[WebhookInbox]:
    box = WebhookInbox()
    yield box
    box.close()


@pytest.fixture
def uber_app(uber: SimulatorProcess) -> dict[str, str]:
    """A fresh app (client id/secret) per test, so no token cached by an earlier test is reused."""
    app = {"client_id": f"uber-app-{uuid.uuid4().hex[:8]}", "client_secret": f"uber_SECRET_{uuid.uuid4().hex}"}
    uber.control("POST", "/_control/app", app)
    return app
