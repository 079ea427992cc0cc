"""HTTP plumbing: a threading server, routing, one log line per request, errors as JSON.

Every failure inside a handler becomes a JSON error answer here; an
unexpected exception is logged with its traceback and answered 500, but the
server thread always survives.
"""

from __future__ import annotations

import sys
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from . import api, control, page
from .app import Market
from .errors import ApiError
from .web import Request, Response, Route, resolve, route

MAX_BODY = 5 * 1024 * 1024
ROUTES: list[Route] = [route("GET", "/", page.index), *control.ROUTES, *api.ROUTES]


def handle(market: Market, req: Request) -> Response:
    try:
        handler, params = resolve(ROUTES, req.method, req.path)
        return handler(market, req, **params)
    except ApiError as exc:
        return Response(exc.status, exc.body(), dict(exc.headers))
    except Exception:
        traceback.print_exc(file=sys.stderr)
        return Response(500, {"error": {"code": "internal_error", "message": "unexpected error in the market"}})


class MarketServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], market: Market, quiet: bool = False) -> None:
        super().__init__(address, MarketRequestHandler)
        self.market = market
        self.quiet = quiet


class MarketRequestHandler(BaseHTTPRequestHandler):
    server: MarketServer
    server_version = "SandboxMarket/2"
    protocol_version = "HTTP/1.1"

    def _dispatch(self) -> None:
        started = time.monotonic()
        split = urlsplit(self.path)
        path = split.path.rstrip("/") or "/"
        body = self._read_body()
        if body is None:
            response = Response(400, {"error": {"code": "invalid_body",
                                                "message": "unreadable body: bad, missing or too large length"}})
            self.close_connection = True
        else:
            request = Request(method=self.command, path=path, query=dict(parse_qsl(split.query)),
                              headers={k.lower(): v for k, v in self.headers.items()}, body=body)
            response = handle(self.server.market, request)
        self._send(response)
        if not self.server.quiet:
            elapsed = (time.monotonic() - started) * 1000
            sys.stderr.write(f'{self.client_address[0]} "{self.command} {self.path}" {response.status} '
                             f"{elapsed:.1f}ms\n")

    def _read_body(self) -> bytes | None:
        """The raw body (Content-Length or chunked); None when it cannot be read safely."""
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks, total = [], 0
            while True:
                line = self.rfile.readline(1024).split(b";", 1)[0].strip()
                try:
                    size = int(line, 16)
                except ValueError:
                    return None
                total += size
                if total > MAX_BODY:
                    return None
                if size == 0:
                    while self.rfile.readline(1024).strip():  # trailers
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline(8)
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            return None
        if length < 0 or length > MAX_BODY:
            return None
        return self.rfile.read(length) if length else b""

    def _send(self, response: Response) -> None:
        payload = response.encode()
        try:
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.send_header("Cache-Control", "no-store")
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _dispatch

    def log_message(self, format: str, *args: object) -> None:
        """Silence the default access log; ``_dispatch`` writes its own single line."""

    def log_error(self, format: str, *args: object) -> None:
        if not self.server.quiet:
            sys.stderr.write(f"{self.address_string()} error: {format % args}\n")


def serve(market: Market, host: str, port: int, quiet: bool = False) -> MarketServer:
    return MarketServer((host, port), market, quiet=quiet)
