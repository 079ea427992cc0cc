"""Fixtures for the Sandbox Market tests: one real market process per module and a webhook receiver.

The market here has its real retry delays (backoff scale 1), unlike the
session-wide one in ``tests/conftest.py``: these tests time the back-off.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest

from channel_simulators.testing import SandboxMarketProcess, WebhookInbox, running_sandbox_market


@pytest.fixture(scope="module")
def receiver() -> Iterator[WebhookInbox]:
    inbox = WebhookInbox()
    yield inbox
    inbox.close()


@pytest.fixture(scope="module")
def market() -> Iterator[SandboxMarketProcess]:
    with running_sandbox_market() as m:
        yield m


_names = itertools.count(1)


@pytest.fixture
def store(market: SandboxMarketProcess, receiver: WebhookInbox) -> dict[str, Any]:
    """A fresh store per test (own webhook path), so tests never see each other's data."""
    ref = f"store-{next(_names)}"
    fields = {"store_ref": ref, "api_key": f"key-{ref}", "webhook_url": receiver.url_for(ref),
              "webhook_secret": f"secret-{ref}", "currency": "EUR"}
    market.register_store(**fields)
    return fields
