"""Run the market as a real subprocess for tests and demos.

The market always runs as its own process (never in-process) so tests go
over real HTTP against a real separate database, exactly like a channel.
Usage::

    with running_sandbox_market() as market:
        market.register_store(store_ref="casa-lucia", api_key="k", webhook_url=..., webhook_secret="s")
        ticket = market.create_ticket("casa-lucia")
"""

from __future__ import annotations

import contextlib
import json
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import quote, urlencode

PROJECT_ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 10.0


class SandboxMarketError(RuntimeError):
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
class SandboxMarketProcess:
    url: str
    port: int
    process: subprocess.Popen[bytes]
    db_path: str
    stderr_file: BinaryIO | None = None

    # -- raw HTTP ---------------------------------------------------------------------------------------------
    def request(self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None,
                timeout: float = 10.0, raw: bytes | None = None) -> HttpResult:
        """Any call, any status: returns status, parsed JSON (or text) and headers; never raises on 4xx/5xx."""
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        all_headers = {"Content-Type": "application/json", **(headers or {})}
        req = urllib.request.Request(self.url + path, data=data, headers=all_headers, method=method)  # noqa: S310
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - our own local server
                return HttpResult(resp.status, _decode(resp.read()), dict(resp.headers.items()))
        except urllib.error.HTTPError as exc:
            with exc:
                return HttpResult(exc.code, _decode(exc.read()), dict(exc.headers.items()))

    def api(self, method: str, store_ref: str, path: str, api_key: str, body: Any = None,
            timeout: float = 10.0) -> HttpResult:
        """A channel-API call as the store would make it (``path`` relative to the store, e.g. ``/menu``)."""
        return self.request(method, f"/api/v2/stores/{quote(store_ref)}{path}", body, {"X-Market-Key": api_key},
                            timeout=timeout)

    def _control(self, method: str, path: str, body: Any = None) -> Any:
        result = self.request(method, path, body)
        if not 200 <= result.status < 300:
            raise SandboxMarketError(result.status, result.body, method, path)
        return result.body

    # -- controls ---------------------------------------------------------------------------------------------
    def register_store(self, **fields: Any) -> dict[str, Any]:
        return self._control("POST", "/_control/stores", fields)

    def get_store(self, store_ref: str) -> dict[str, Any]:
        return self._control("GET", f"/_control/stores/{quote(store_ref)}")

    def create_ticket(self, store_ref: str, **body: Any) -> dict[str, Any]:
        return self._control("POST", f"/_control/stores/{quote(store_ref)}/tickets", body)

    def create_booking(self, store_ref: str, **body: Any) -> dict[str, Any]:
        return self._control("POST", f"/_control/stores/{quote(store_ref)}/bookings", body)

    def get_ticket(self, ticket_id: str) -> dict[str, Any]:
        return self._control("GET", f"/_control/tickets/{quote(ticket_id)}")

    def change_state(self, ticket_id: str, state: str, reason: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"state": state}
        if reason is not None:
            body["reason"] = reason
        return self._control("POST", f"/_control/tickets/{quote(ticket_id)}/state", body)

    def add_fault(self, **body: Any) -> dict[str, Any]:
        return self._control("POST", "/_control/faults", body)

    def clear_faults(self) -> None:
        self._control("DELETE", "/_control/faults")

    def log(self, store_ref: str, kind: str | None = None) -> list[dict[str, Any]]:
        query = {"store_ref": store_ref, **({"kind": kind} if kind else {})}
        return self._control("GET", "/_control/log?" + urlencode(query))["entries"]

    def webhooks(self, store_ref: str) -> list[dict[str, Any]]:
        return self._control("GET", "/_control/webhooks?" + urlencode({"store_ref": store_ref}))["deliveries"]

    def stats(self) -> dict[str, Any]:
        return self._control("GET", "/_control/stats")

    def reset(self) -> None:
        self._control("POST", "/_control/reset")

    def wait_for(self, predicate: Any, timeout: float = 10.0, interval: float = 0.05) -> Any:
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
        if self.stderr_file is None:
            return ""
        return Path(self.stderr_file.name).read_text(errors="replace")


def _decode(data: bytes) -> Any:
    try:
        return json.loads(data) if data else None
    except ValueError:
        return data.decode(errors="replace")


def _read_banner(process: subprocess.Popen[bytes], lines: queue.Queue[str]) -> None:
    assert process.stdout is not None
    for raw in process.stdout:
        lines.put(raw.decode(errors="replace"))


@contextlib.contextmanager
def running_sandbox_market(db_path: str | None = None, port: int | None = None, *, reset: bool = False,
                           backoff_scale: float = 1.0, extra_args: list[str] | None = None
                           ) -> Iterator[SandboxMarketProcess]:
    """Start ``python -m sandbox_market`` on a free port (or ``port``), wait for health, stop it at exit.

    Without ``db_path`` the database lives in a temporary folder removed at
    exit. The port is chosen by the market itself (``--port 0``) and read from
    its start-up line, so there is no race for a free port.
    """
    tmpdir = None
    if db_path is None:
        tmpdir = tempfile.mkdtemp(prefix="sandbox_market_")
        db_path = str(Path(tmpdir) / "market.sqlite3")
    stderr_file = tempfile.NamedTemporaryFile(prefix="sandbox_market_", suffix=".log", delete=False)  # noqa: SIM115
    cmd = [sys.executable, "-m", "sandbox_market", "--host", "127.0.0.1", "--port", str(port or 0), "--db", db_path,
           "--webhook-backoff-scale", str(backoff_scale), *(["--reset"] if reset else []), *(extra_args or [])]
    process = subprocess.Popen(cmd, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=stderr_file)  # noqa: S603
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_read_banner, args=(process, lines), daemon=True).start()
    market = None
    try:
        market = _wait_until_up(process, lines, db_path, stderr_file)
        yield market
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        stderr_file.close()
        Path(stderr_file.name).unlink(missing_ok=True)
        if tmpdir:
            shutil.rmtree(tmpdir, ignore_errors=True)


def _wait_until_up(process: subprocess.Popen[bytes], lines: queue.Queue[str], db_path: str,
                   stderr_file: BinaryIO) -> SandboxMarketProcess:
    deadline = time.monotonic() + START_TIMEOUT
    url = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            stderr_file.flush()
            err = Path(stderr_file.name).read_text(errors="replace")
            raise RuntimeError(f"sandbox_market exited with {process.returncode}:\n{err}")
        if url is None:
            with contextlib.suppress(queue.Empty):
                line = lines.get(timeout=0.1)
                if "listening on " in line:
                    url = line.split("listening on ", 1)[1].split()[0].rstrip("/")
            continue
        market = SandboxMarketProcess(url=url, port=int(url.rsplit(":", 1)[1]), process=process, db_path=db_path,
                                      stderr_file=stderr_file)
        with contextlib.suppress(OSError):
            if market.request("GET", "/_control/health", timeout=1).body == {"ok": True}:
                return market
        time.sleep(0.05)
    process.kill()
    err = Path(stderr_file.name).read_text(errors="replace")
    raise RuntimeError(f"sandbox_market did not answer /_control/health within {START_TIMEOUT}s:\n{err}")
