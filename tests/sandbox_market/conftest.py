"""Fixtures for the Sandbox Market tests: one real market process per module and a webhook receiver."""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from sandbox_market.testing import SandboxMarketProcess, running_sandbox_market


@dataclass
class Captured:
    headers: dict[str, str]
    body: bytes
    at: float

    @property
    def json(self) -> Any:
        return json.loads(self.body)


class Receiver:
    """Captures webhooks per path; ``plan(name, [500, 503])`` makes the next calls on that path fail."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.calls: dict[str, list[Captured]] = defaultdict(list)
        self.plans: dict[str, list[int]] = defaultdict(list)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                name = self.path.strip("/").split("/")[-1]
                with receiver.lock:
                    receiver.calls[name].append(Captured(dict(self.headers.items()), body, time.monotonic()))
                    status = receiver.plans[name].pop(0) if receiver.plans[name] else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        self.thread.start()

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/webhooks/{name}/"

    def plan(self, name: str, statuses: list[int]) -> None:
        with self.lock:
            self.plans[name] = list(statuses)

    def received(self, name: str) -> list[Captured]:
        with self.lock:
            return list(self.calls[name])

    def wait(self, name: str, count: int, timeout: float = 5.0) -> list[Captured]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            got = self.received(name)
            if len(got) >= count:
                return got
            time.sleep(0.02)
        raise AssertionError(f"expected {count} webhooks on {name}, got {len(self.received(name))}")

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()


@pytest.fixture(scope="module")
def market() -> Iterator[SandboxMarketProcess]:
    with running_sandbox_market() as m:
        yield m


_names = itertools.count(1)


@pytest.fixture
def store(market: SandboxMarketProcess, receiver: Receiver) -> dict[str, Any]:
    """A fresh store per test (own webhook path), so tests never see each other's data."""
    ref = f"store-{next(_names)}"
    fields = {"store_ref": ref, "api_key": f"key-{ref}", "webhook_url": receiver.url(ref),
              "webhook_secret": f"secret-{ref}", "currency": "EUR"}
    market.register_store(**fields)
    return fields
