"""Start a simulated company as its own process on a free port, wait until it answers, stop it.

Always a real subprocess, never in-process, so tests and benchmarks reach it
over real HTTP exactly as the platform reaches a channel. The port is chosen
by the process itself (``--port 0``) and read from its first stdout line, so
there is no race for a free port. :class:`Simulator` is the handle a test
holds: raw calls and the ``/_control`` calls every company has.
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
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, TypeVar
from urllib.parse import urlsplit

WING_PARENT = Path(__file__).resolve().parents[2]  # where ``python -m channel_simulators.<company>`` resolves
START_TIMEOUT = 10.0


class ControlError(RuntimeError):
    """A control call answered with a non-2xx status."""

    def __init__(self, status: int, body: Any, method: str, path: str) -> None:
        super().__init__(f"{method} {path} -> {status}: {body}")
        self.status = status
        self.body = body


@dataclass
class HttpResult:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Simulator:
    url: str
    process: subprocess.Popen[bytes]
    stderr_file: BinaryIO

    @property
    def port(self) -> int:
        return int(urlsplit(self.url).port or 0)

    def request(self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None, *,
                raw: bytes | None = None, timeout: float = 10.0) -> HttpResult:
        """Any call, any status: status, parsed JSON (or text) and headers; never raises on 4xx/5xx."""
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        request = urllib.request.Request(self.url + path, data=data, method=method,  # noqa: S310
                                         headers={"Content-Type": "application/json", **(headers or {})})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - our own local process
                return HttpResult(response.status, _decode(response.read()), dict(response.headers.items()))
        except urllib.error.HTTPError as exc:
            with exc:
                return HttpResult(exc.code, _decode(exc.read()), dict(exc.headers.items()))

    def control(self, method: str, path: str, body: Any = None) -> Any:
        """A call that must succeed (arranging a scenario); its parsed body, or :class:`ControlError`."""
        result = self.request(method, path, body)
        if not 200 <= result.status < 300:
            raise ControlError(result.status, result.body, method, path)
        return result.body

    def reset(self) -> None:
        self.control("POST", "/_control/reset")

    def wait_for(self, predicate: Callable[[], Any], timeout: float = 10.0, interval: float = 0.05) -> Any:
        """Poll ``predicate()`` until it returns something truthy; raise TimeoutError otherwise."""
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


S = TypeVar("S", bound=Simulator)
Handle = Callable[[str, subprocess.Popen[bytes], BinaryIO], S]


@contextlib.contextmanager
def running(module: str, args: Sequence[str], handle: Handle[S]) -> Iterator[S]:
    """Run ``python -m module *args`` (which must print its ``listening on`` line), yield ``handle(url, …)``
    once ``/_control/health`` answers, and stop the process at exit (SIGTERM, then SIGKILL)."""
    label = module.rsplit(".", 1)[-1]
    stderr_file = tempfile.NamedTemporaryFile(prefix=f"{label}_", suffix=".log", delete=False)  # noqa: SIM115
    process = subprocess.Popen([sys.executable, "-m", module, *args],  # noqa: S603 - our own module
                               cwd=WING_PARENT, stdout=subprocess.PIPE, stderr=stderr_file)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_read_banner, args=(process, lines), daemon=True).start()
    try:
        yield _wait_until_up(label, process, lines, lambda url: handle(url, process, stderr_file), stderr_file)
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        stderr_file.close()
        Path(stderr_file.name).unlink(missing_ok=True)


def _read_banner(process: subprocess.Popen[bytes], lines: queue.Queue[str]) -> None:
    assert process.stdout is not None
    for raw in process.stdout:
        lines.put(raw.decode(errors="replace"))


def _wait_until_up(label: str, process: subprocess.Popen[bytes], lines: queue.Queue[str],
                   handle: Callable[[str], S], stderr_file: BinaryIO) -> S:
    deadline = time.monotonic() + START_TIMEOUT
    simulator = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            stderr_file.flush()
            raise RuntimeError(f"{label} exited with {process.returncode}:\n"
                               + Path(stderr_file.name).read_text(errors="replace"))
        if simulator is None:
            with contextlib.suppress(queue.Empty):
                line = lines.get(timeout=0.1)
                if "listening on " in line:
                    simulator = handle(line.split("listening on ", 1)[1].split()[0].rstrip("/"))
            continue
        with contextlib.suppress(OSError):
            if simulator.request("GET", "/_control/health", timeout=1).body == {"ok": True}:
                return simulator
        time.sleep(0.05)
    process.kill()
    raise RuntimeError(f"{label} did not answer /_control/health within {START_TIMEOUT}s:\n"
                       + Path(stderr_file.name).read_text(errors="replace"))
