"""The serve loop: a threading HTTP server around an :class:`App`, and running it as its own process.

``python -m channel_simulators.<company>`` ends in :func:`run`, which prints
``<name> listening on http://host:port/`` first on stdout: that line is how
:mod:`.process` learns the port the OS picked for ``--port 0``.
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import FrameType
from urllib.parse import parse_qsl, urlsplit

from .app import App
from .http import Request, Response

MAX_BODY = 5 * 1024 * 1024


class SimulatorServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], app: App, quiet: bool = False) -> None:
        super().__init__(address, _Handler)
        self.app = app
        self.quiet = quiet


class _Handler(BaseHTTPRequestHandler):
    server: SimulatorServer
    protocol_version = "HTTP/1.1"

    def version_string(self) -> str:
        return f"{self.server.app.server_version} {self.sys_version}"

    def _dispatch(self) -> None:
        started = time.monotonic()
        split = urlsplit(self.path)
        body = self._read_body()
        if body is None:
            response = self.server.app.error(400, "invalid_body", "unreadable body: bad, missing or too large length")
            self.close_connection = True  # the rest of the stream cannot be trusted
        else:
            request = Request(method=self.command, path=split.path.rstrip("/") or "/",
                              query=dict(parse_qsl(split.query)),
                              headers={k.lower(): v for k, v in self.headers.items()}, body=body)
            response = self.server.app.handle(request)
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
            if response.body is not None:
                self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.send_header("Cache-Control", "no-store")
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _dispatch

    def log_message(self, format: str, *args: object) -> None:
        """Silence the default access log; ``_dispatch`` writes its own single line."""

    def log_error(self, format: str, *args: object) -> None:
        if not self.server.quiet:
            sys.stderr.write(f"{self.address_string()} error: {format % args}\n")


def options(prog: str, *, default_port: int = 0, description: str | None = None) -> argparse.ArgumentParser:
    """The options every simulated company takes; a company adds its own (the market's ``--db``)."""
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=default_port, help="0 picks a free port (printed on stdout)")
    parser.add_argument("--quiet", action="store_true", help="no per-request log lines")
    return parser


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def run(app: App, host: str, port: int, *, quiet: bool = False, note: str = "") -> int:
    """Serve ``app`` until SIGTERM or Ctrl-C, then close it; the exit status for ``sys.exit``."""
    server = SimulatorServer((host, port), app, quiet=quiet)
    host, port = server.server_address[:2]
    app.base_url = f"http://{host}:{port}"
    app.start()
    signal.signal(signal.SIGTERM, _interrupt)
    print(f"{app.name} listening on {app.base_url}/" + (f" ({note})" if note else ""), flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        app.close()
        print(f"{app.name} stopped", file=sys.stderr)
    return 0


def main(app: App, argv: list[str] | None = None) -> int:
    """``python -m channel_simulators.<dialect>`` for a company that needs no options of its own."""
    args = options(f"channel_simulators.{app.name}").parse_args(argv)
    return run(app, args.host, args.port, quiet=args.quiet)
