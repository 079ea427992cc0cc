"""Start any simulated company as a real subprocess, talk to it, and catch its webhooks: for tests and benchmarks.

Usage::

    with running_sandbox_market() as market:
        market.register_store(store_ref="casa-lucia", api_key="k", webhook_url=..., webhook_secret="s")
        ticket = market.create_ticket("casa-lucia")

    with running_simulator("uber_eats") as uber:
        uber.control("POST", "/_control/app", {"client_id": "id", "client_secret": "s"})

The process harness is the kit's (:mod:`.kit.process`); what is here is each
company's own control vocabulary, and :class:`WebhookInbox`, which stands in
for the platform's webhook endpoint.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from .kit.process import ControlError, HttpResult, Simulator, running

__all__ = ["Captured", "ControlError", "HttpResult", "SandboxMarketProcess", "SimulatorProcess", "WebhookInbox",
           "running_sandbox_market", "running_simulator"]


# -- the Sandbox Market ------------------------------------------------------------------------------------------
@dataclass
class SandboxMarketProcess(Simulator):
    db_path: str

    def api(self, method: str, store_ref: str, path: str, api_key: str, body: Any = None,
            timeout: float = 10.0) -> HttpResult:
        """A channel-API call as the store would make it (``path`` relative to the store, e.g. ``/menu``)."""
        return self.request(method, f"/api/v2/stores/{quote(store_ref)}{path}", body, {"X-Market-Key": api_key},
                            timeout=timeout)

    def register_store(self, **fields: Any) -> dict[str, Any]:
        return self.control("POST", "/_control/stores", fields)

    def get_store(self, store_ref: str) -> dict[str, Any]:
        return self.control("GET", f"/_control/stores/{quote(store_ref)}")

    def create_ticket(self, store_ref: str, **body: Any) -> dict[str, Any]:
        return self.control("POST", f"/_control/stores/{quote(store_ref)}/tickets", body)

    def create_booking(self, store_ref: str, **body: Any) -> dict[str, Any]:
        return self.control("POST", f"/_control/stores/{quote(store_ref)}/bookings", body)

    def get_ticket(self, ticket_id: str) -> dict[str, Any]:
        return self.control("GET", f"/_control/tickets/{quote(ticket_id)}")

    def change_state(self, ticket_id: str, state: str, reason: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"state": state}
        if reason is not None:
            body["reason"] = reason
        return self.control("POST", f"/_control/tickets/{quote(ticket_id)}/state", body)

    def add_fault(self, **body: Any) -> dict[str, Any]:
        return self.control("POST", "/_control/faults", body)

    def clear_faults(self) -> None:
        self.control("DELETE", "/_control/faults")

    def log(self, store_ref: str, kind: str | None = None) -> list[dict[str, Any]]:
        query = {"store_ref": store_ref, **({"kind": kind} if kind else {})}
        return self.control("GET", "/_control/log?" + urlencode(query))["entries"]

    def webhooks(self, store_ref: str) -> list[dict[str, Any]]:
        return self.control("GET", "/_control/webhooks?" + urlencode({"store_ref": store_ref}))["deliveries"]

    def stats(self) -> dict[str, Any]:
        return self.control("GET", "/_control/stats")


@contextlib.contextmanager
def running_sandbox_market(db_path: str | None = None, port: int | None = None, *, reset: bool = False,
                           backoff_scale: float = 1.0, extra_args: list[str] | None = None
                           ) -> Iterator[SandboxMarketProcess]:
    """``python -m channel_simulators.sandbox_market`` on a free port (or ``port``); stopped at exit.

    Without ``db_path`` the database lives in a temporary folder removed at exit.
    """
    tmpdir = None
    if db_path is None:
        tmpdir = tempfile.mkdtemp(prefix="sandbox_market_")
        db_path = str(Path(tmpdir) / "market.sqlite3")
    args = ["--host", "127.0.0.1", "--port", str(port or 0), "--db", db_path,
            "--webhook-backoff-scale", str(backoff_scale), *(["--reset"] if reset else []), *(extra_args or [])]
    try:
        with running("channel_simulators.sandbox_market", args,
                     lambda url, process, log: SandboxMarketProcess(url, process, log, db_path)) as market:
            yield market
    finally:
        if tmpdir:
            shutil.rmtree(tmpdir, ignore_errors=True)


# -- the channel dialects ----------------------------------------------------------------------------------------
@dataclass
class SimulatorProcess(Simulator):
    dialect: str

    def log(self, kind: str | None = None) -> list[dict[str, Any]]:
        return self.control("GET", "/_control/log" + (f"?kind={kind}" if kind else ""))["entries"]

    def webhooks(self) -> list[dict[str, Any]]:
        return self.control("GET", "/_control/webhooks")["deliveries"]


@contextlib.contextmanager
def running_simulator(dialect: str) -> Iterator[SimulatorProcess]:
    """``python -m channel_simulators.<dialect> --port 0``, until the block ends."""
    with running(f"channel_simulators.{dialect}", ["--port", "0", "--quiet"],
                 lambda url, process, log: SimulatorProcess(url, process, log, dialect)) as simulator:
        yield simulator


# -- the platform's side, stood in for -----------------------------------------------------------------------
@dataclass
class Captured:
    """One POST the inbox received. Unpacks as ``body, headers``, the pair a module's ``verify_webhook`` takes."""

    body: bytes
    headers: dict[str, str]
    at: float = field(default_factory=time.monotonic)

    @property
    def json(self) -> Any:
        return json.loads(self.body)

    def __iter__(self) -> Iterator[Any]:
        return iter((self.body, self.headers))


class WebhookInbox:
    """A local HTTP endpoint that keeps every POST it receives, per path name, answering 200.

    Stands in for the platform's webhook view in module and simulator tests,
    so a webhook travels over real HTTP. ``url`` is one default endpoint;
    ``url_for(name)`` gives one per store, and ``plan(name, [500, 503])`` makes
    the next calls on it fail, to watch a sender retry.
    """

    DEFAULT = "hook"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: dict[str, list[Captured]] = defaultdict(list)
        self._plans: dict[str, list[int]] = defaultdict(list)
        inbox = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status = inbox._record(self.path.strip("/").split("/")[-1], Captured(body, dict(self.headers.items())))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self.url = self.url_for(self.DEFAULT)
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()

    def _record(self, name: str, captured: Captured) -> int:
        with self._lock:
            self._calls[name].append(captured)
            return self._plans[name].pop(0) if self._plans[name] else 200

    def url_for(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/webhooks/{name}/"

    def plan(self, name: str, statuses: list[int]) -> None:
        with self._lock:
            self._plans[name] = list(statuses)

    def received(self, name: str = DEFAULT) -> list[Captured]:
        with self._lock:
            return list(self._calls[name])

    def wait(self, count: int = 1, timeout: float = 10.0, *, name: str = DEFAULT) -> list[Captured]:
        """Everything received on ``name`` once there are at least ``count``; AssertionError after ``timeout``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            got = self.received(name)
            if len(got) >= count:
                return got
            time.sleep(0.02)
        raise AssertionError(f"expected {count} webhooks on {name}, got {len(self.received(name))}")

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
