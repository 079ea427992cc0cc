"""HTTP plumbing shared by the simulators: a threading server, regex routes, JSON in and out."""

from __future__ import annotations

import json
import re
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

MAX_BODY = 5 * 1024 * 1024


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        if not self.body:
            return {}
        try:
            return json.loads(self.body)
        except ValueError:
            raise HttpError(400, {"code": "invalid_json", "message": "the body is not JSON"}) from None

    def form(self) -> dict[str, str]:
        return dict(parse_qsl(self.body.decode(errors="replace")))


@dataclass
class Response:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


class HttpError(Exception):
    """Raised by a handler to answer ``status`` with ``body`` (the dialect's own error shape)."""

    def __init__(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        super().__init__(f"{status}: {body}")
        self.status = status
        self.body = body
        self.headers = headers or {}


Handler = Callable[..., Response]


@dataclass(frozen=True)
class Route:
    method: str
    pattern: re.Pattern[str]
    handler: Handler


def route(method: str, template: str, handler: Handler) -> Route:
    """``template`` uses ``{name}`` for one path segment, e.g. ``/v2/eats/order/{order_id}``."""
    regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template)
    return Route(method, re.compile(f"^{regex}$"), handler)


class App:
    """A dialect: its routes and its state. Subclasses fill ``routes``."""

    name = "simulator"
    base_url = ""
    routes: list[Route]

    def handle(self, request: Request) -> Response:
        for candidate in self.routes:
            if candidate.method != request.method:
                continue
            match = candidate.pattern.match(request.path)
            if match:
                try:
                    return candidate.handler(request, **match.groupdict())
                except HttpError as exc:
                    return Response(exc.status, exc.body, exc.headers)
                except Exception:
                    traceback.print_exc(file=sys.stderr)
                    return Response(500, {"code": "internal_error", "message": "unexpected simulator error"})
        return Response(404, {"code": "not_found", "message": f"no route for {request.method} {request.path}"})


class _Handler(BaseHTTPRequestHandler):
    server: SimulatorServer
    protocol_version = "HTTP/1.1"

    def _dispatch(self) -> None:
        split = urlsplit(self.path)
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY:
            self._send(Response(400, {"code": "invalid_body", "message": "bad Content-Length"}))
            return
        body = self.rfile.read(length) if length else b""
        request = Request(self.command, split.path.rstrip("/") or "/", dict(parse_qsl(split.query)),
                          {k.lower(): v for k, v in self.headers.items()}, body)
        self._send(self.server.app.handle(request))

    def _send(self, response: Response) -> None:
        payload = b"" if response.body is None else json.dumps(response.body).encode()
        try:
            self.send_response(response.status)
            if payload:
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _dispatch

    def log_message(self, format: str, *args: object) -> None:
        if not self.server.quiet:
            sys.stderr.write(f"{self.address_string()} {format % args}\n")


class SimulatorServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], app: App, quiet: bool) -> None:
        super().__init__(address, _Handler)
        self.app = app
        self.quiet = quiet
