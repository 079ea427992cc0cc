"""Uber Eats module tests: the simulator itself is ``tests/conftest.py``'s ``uber``; here, a fresh app per test."""

from __future__ import annotations

import uuid

import pytest

from channel_simulators.testing import SimulatorProcess


@pytest.fixture
def uber_app(uber: SimulatorProcess) -> dict[str, str]:
    """A fresh app (client id/secret) per test, so no token cached by an earlier test is reused."""
    app = {"client_id": f"uber-app-{uuid.uuid4().hex[:8]}", "client_secret": f"uber_SECRET_{uuid.uuid4().hex}"}
    uber.control("POST", "/_control/app", app)
    return app
