"""A tiny real HTTP server in a thread, with scripted responses per path, that records what it receives."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from integrations.http import CallRecord


@dataclass
class StubResponse:
    status: int = 200
    json: Any = None
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0

    def encoded(self) -> tuple[bytes, dict[str, str]]:
        headers = dict(self.headers)
        if self.json is not None:
            headers.setdefault("Content-Type", "application/json")
            return json.dumps(self.json).encode(), headers
        body = self.body.encode() if isinstance(self.body, str) else self.body
        return body, headers


@dataclass
class ReceivedRequest:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-cased names
    body: bytes

    def form(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.body.decode()).items()}


Handler = Callable[[ReceivedRequest], StubResponse]


class StubServer:
    """Scripted responses per (method, path); a list is served in order, its last item repeating."""

    def __init__(self) -> None:
        self.requests: list[ReceivedRequest] = []
        self._routes: dict[tuple[str, str], list[StubResponse] | Handler] = {}
        self._lock = threading.Lock()
        stub = self

        class _Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                parts = urlsplit(self.path)
                received = ReceivedRequest(
                    method=self.command,
                    path=parts.path,
                    query=parse_qs(parts.query),
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=self.rfile.read(length) if length else b"",
                )
                response = stub._respond(received)
                if response.delay:
                    time.sleep(response.delay)
                body, headers = response.encoded()
                try:
                    self.send_response(response.status)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass  # the client gave up (timeout tests)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.block_on_close = False
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self._thread.start()

    def on(self, method: str, path: str, *responses: StubResponse | Handler) -> None:
        if len(responses) == 1 and callable(responses[0]) and not isinstance(responses[0], StubResponse):
            self._routes[(method.upper(), path)] = responses[0]
        else:
            self._routes[(method.upper(), path)] = [r for r in responses if isinstance(r, StubResponse)]

    def _respond(self, received: ReceivedRequest) -> StubResponse:
        with self._lock:
            self.requests.append(received)
            route = self._routes.get((received.method, received.path))
            if route is None:
                return StubResponse(404, json={"error": {"code": "not_found", "message": "No such route"}})
            if callable(route):
                return route(received)
            return route.pop(0) if len(route) > 1 else route[0]

    def received(self, method: str, path: str) -> list[ReceivedRequest]:
        with self._lock:
            return [r for r in self.requests if r.method == method.upper() and r.path == path]

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def stub() -> Iterator[StubServer]:
    server = StubServer()
    yield server
    server.close()


@pytest.fixture
def records() -> list[CallRecord]:
    return []


@pytest.fixture
def closed_port_url() -> str:
    """A URL on a port nothing listens on (bound to find a free one, then closed)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"
