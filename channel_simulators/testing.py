"""Start a simulator as a real subprocess on a free port, for tests and demos.

Usage::

    with running_simulator("uber_eats") as uber:
        uber.control("POST", "/_control/app", {"client_id": "id", "client_secret": "s"})
"""

from __future__ import annotations

import contextlib
import json
import queue
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

PROJECT_ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 10.0


class SimulatorError(RuntimeError):
    def __init__(self, status: int, body: Any, method: str, path: str) -> None:
        super().__init__(f"{method} {path} -> {status}: {body}")
        self.status = status
        self.body = body


@dataclass
class Answer:
    status: int
    body: Any
    headers: dict[str, str]


@dataclass
class SimulatorProcess:
    dialect: str
    url: str
    process: subprocess.Popen[bytes]
    stderr_file: BinaryIO

    def request(self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None,
                raw: bytes | None = None, timeout: float = 10.0) -> Answer:
        """Any call, any status; never raises on 4xx/5xx."""
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        request = urllib.request.Request(self.url + path, data=data, method=method,  # noqa: S310
                                         headers={"Content-Type": "application/json", **(headers or {})})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - local simulator
                return Answer(response.status, _decode(response.read()), dict(response.headers.items()))
        except urllib.error.HTTPError as exc:
            with exc:
                return Answer(exc.code, _decode(exc.read()), dict(exc.headers.items()))

    def control(self, method: str, path: str, body: Any = None) -> Any:
        answer = self.request(method, path, body)
        if not 200 <= answer.status < 300:
            raise SimulatorError(answer.status, answer.body, method, path)
        return answer.body

    def reset(self) -> None:
        self.control("POST", "/_control/reset")

    def log(self, kind: str | None = None) -> list[dict[str, Any]]:
        return self.control("GET", "/_control/log" + (f"?kind={kind}" if kind else ""))["entries"]

    def webhooks(self) -> list[dict[str, Any]]:
        return self.control("GET", "/_control/webhooks")["deliveries"]

    def wait_for(self, predicate: Any, timeout: float = 10.0, interval: float = 0.05) -> Any:
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            if time.monotonic() > deadline:
                raise TimeoutError("condition not met in time")
            time.sleep(interval)

    def stderr_text(self) -> str:
        return Path(self.stderr_file.name).read_text(errors="replace")


def _decode(data: bytes) -> Any:
    try:
        return json.loads(data) if data else None
    except ValueError:
        return data.decode(errors="replace")


@contextlib.contextmanager
def running_simulator(dialect: str) -> Iterator[SimulatorProcess]:
    """Start ``python -m channel_simulators.<dialect> --port 0``, wait until healthy, stop it at exit."""
    stderr_file = tempfile.NamedTemporaryFile(prefix=f"sim_{dialect}_", suffix=".log", delete=False)  # noqa: SIM115
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", f"channel_simulators.{dialect}", "--port", "0", "--quiet"],
        cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=stderr_file,
    )
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        assert process.stdout is not None
        for raw in process.stdout:
            lines.put(raw.decode(errors="replace"))

    threading.Thread(target=pump, daemon=True).start()
    try:
        yield _wait_until_up(dialect, process, lines, stderr_file)
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        stderr_file.close()
        Path(stderr_file.name).unlink(missing_ok=True)


def _wait_until_up(dialect: str, process: subprocess.Popen[bytes], lines: queue.Queue[str],
                   stderr_file: BinaryIO) -> SimulatorProcess:
    deadline = time.monotonic() + START_TIMEOUT
    url = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{dialect} simulator exited with {process.returncode}:\n"
                               + Path(stderr_file.name).read_text(errors="replace"))
        if url is None:
            with contextlib.suppress(queue.Empty):
                line = lines.get(timeout=0.1)
                if "listening on " in line:
                    url = line.split("listening on ", 1)[1].split()[0].rstrip("/")
            continue
        simulator = SimulatorProcess(dialect, url, process, stderr_file)
        with contextlib.suppress(OSError):
            if simulator.request("GET", "/_control/health", timeout=1).body == {"ok": True}:
                return simulator
        time.sleep(0.05)
    process.kill()
    raise RuntimeError(f"{dialect} simulator did not start within {START_TIMEOUT}s")


class WebhookInbox:
    """A local HTTP endpoint that keeps every POST it receives (raw body and headers), answering 200.

    Stands in for the platform's webhook view in module tests, so a simulator's
    webhook travels over real HTTP before the module verifies and parses it.
    """

    def __init__(self) -> None:
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        inbox = self
        self.received: list[tuple[bytes, dict[str, str]]] = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                inbox.received.append((body, dict(self.headers.items())))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/hook"
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()

    def wait(self, count: int = 1, timeout: float = 10.0) -> list[tuple[bytes, dict[str, str]]]:
        deadline = time.monotonic() + timeout
        while len(self.received) < count:
            if time.monotonic() > deadline:
                raise TimeoutError(f"expected {count} webhooks, got {len(self.received)}")
            time.sleep(0.02)
        return self.received[:count]

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
