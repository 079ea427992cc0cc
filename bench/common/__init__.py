"""The production topology on one machine, for the benchmarks and the chaos run.

PostgreSQL (a database of its own, dropped and migrated at every run), Redis
(broker and cache on db numbers of their own, flushed), gunicorn with sync
workers and persistent database connections, real Celery workers and beat,
and the Sandbox Market as its own process. Every process is started here and
stopped by its own id; every wait is bounded.

Import this module before Django is set up: it points the environment at the
bench database and broker (both overridable with the usual variables).
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent
RESULTS = ROOT / "bench" / "results"
PY = sys.executable
BIN = Path(PY).parent

DEFAULTS = {
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/sinqro_bench",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/6",
    "CACHE_URL": "rediscache://127.0.0.1:6379/7",
}


BENCH_FERNET_KEY = base64.urlsafe_b64encode(os.urandom(32)).decode()  # one per bench run, shared by its processes


def configure(**overrides: str) -> dict[str, str]:
    """Point this process (and every process it starts) at the bench services; call before django.setup()."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    for key, value in DEFAULTS.items():
        os.environ.setdefault(key, value)
    os.environ.update(overrides)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DEBUG": "false",
            "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-" + uuid.uuid4().hex * 2),
            # production refuses the repository's development keys (settings.development_keys_in_use)
            "SINQRO_SECRET_KEYS": os.environ.get("SINQRO_SECRET_KEYS", BENCH_FERNET_KEY),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            "SINQRO_VAR_DIR": os.environ.get("SINQRO_VAR_DIR", "var/bench"),
            "LOG_LEVEL": os.environ.get("LOG_LEVEL", "WARNING"),
            "PYTHONUNBUFFERED": "1",
        }
    )
    return dict(os.environ)


def setup_django() -> None:
    import django

    django.setup()


# -- services ---------------------------------------------------------------------------------------------------
def reset_database() -> None:
    """Drop and create the bench database, then migrate it (so a fresh clone needs nothing else)."""
    import psycopg
    from django.conf import settings
    from django.db import connections

    connections.close_all()
    db = settings.DATABASES["default"]
    admin = psycopg.connect(
        host=db.get("HOST") or "127.0.0.1",
        port=db.get("PORT") or 5432,
        user=db.get("USER") or "postgres",
        password=db.get("PASSWORD") or None,
        dbname="postgres",
        autocommit=True,
    )
    with admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{db["NAME"]}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{db["NAME"]}"')
    subprocess.run([PY, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, check=True)


def flush_redis() -> None:
    """Empty the bench broker and cache databases (never the whole server: it is shared)."""
    import redis

    for key in ("CELERY_BROKER_URL", "CACHE_URL"):
        url = os.environ[key].replace("rediscache://", "redis://")
        if url.startswith("redis://"):
            client = redis.Redis.from_url(url)
            client.flushdb()
            client.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_url(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not answer within {timeout:.0f} s") from None
            time.sleep(0.1)


@dataclass
class Process:
    """A child process with its output kept in memory (the tail is shown if it dies)."""

    name: str
    popen: subprocess.Popen
    output: list[str] = field(default_factory=list)

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def text(self) -> str:
        return "".join(self.output)

    def kill(self) -> None:
        """SIGKILL: the process dies on the spot, mid-task, as in a crash."""
        if self.alive():
            self.popen.kill()
        self.popen.wait(timeout=10)

    def stop(self, timeout: float = 15.0) -> None:
        if self.alive():
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(timeout=5)


def spawn(name: str, args: list[str], ready: str | None = None, timeout: float = 30.0,
          env: dict[str, str] | None = None) -> Process:
    popen = subprocess.Popen(
        args, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    process = Process(name, popen)
    seen = threading.Event()

    def pump() -> None:
        assert popen.stdout is not None
        for line in popen.stdout:
            if len(process.output) < 20000:
                process.output.append(line)
            if ready and ready in line:
                seen.set()

    threading.Thread(target=pump, daemon=True).start()
    if ready:
        deadline = time.monotonic() + timeout
        while not seen.wait(0.1):
            if not process.alive() or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"{name} did not start:\n" + process.text()[-4000:])
    return process


def start_worker(name: str, concurrency: int = 4, env: dict[str, str] | None = None, timeout: float = 30.0) -> Process:
    """A ``celery worker`` (thread pool) on every queue; returns once it answers a ping."""
    from sinqro_platform.celery import all_queues, app

    node = f"{name}-{uuid.uuid4().hex[:6]}@{socket.gethostname()}"
    args = [PY, "-m", "celery", "-A", "sinqro_platform", "worker", "-P", "threads", "-c", str(concurrency),
            "-Q", ",".join(all_queues()), "--without-gossip", "--without-mingle", "--without-heartbeat",
            "-l", "warning", "-n", node]
    process = spawn(name, args, env=env)
    deadline = time.monotonic() + timeout
    while not _answers(app, node):
        if not process.alive() or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"worker {name} did not start:\n" + process.text()[-4000:])
    return process


def _answers(app: Any, node: str) -> bool:
    try:
        return bool(app.control.ping(destination=[node], timeout=0.5))
    except Exception:  # the broker is down for a moment (the chaos run restarts it)
        time.sleep(0.5)
        return False


def start_beat(env: dict[str, str] | None = None) -> Process:
    schedule = ROOT / "var" / "bench" / f"celerybeat-{uuid.uuid4().hex[:6]}"
    schedule.parent.mkdir(parents=True, exist_ok=True)
    return spawn("beat", [PY, "-m", "celery", "-A", "sinqro_platform", "beat", "-l", "info",
                          "--schedule", str(schedule)], ready="beat: Starting", env=env)


def start_gunicorn(port: int, workers: int = 4, app: str = "sinqro_platform.wsgi:application",
                   ready_path: str = "/admin/login/") -> Process:
    args = [str(BIN / "gunicorn"), app, "--workers", str(workers),
            "--worker-class", "sync", "--bind", f"127.0.0.1:{port}", "--backlog", "2048",
            "--log-level", "warning", "--timeout", "60"]
    process = spawn("gunicorn", args)
    wait_for_url(f"http://127.0.0.1:{port}{ready_path}")
    return process


@contextlib.contextmanager
def running(*processes: Process) -> Iterator[None]:
    try:
        yield
    finally:
        for process in reversed(processes):
            process.stop()


@contextlib.contextmanager
def sandbox_market(backoff_scale: float = 1.0) -> Iterator[Any]:
    from channel_simulators.testing import running_sandbox_market

    with running_sandbox_market(backoff_scale=backoff_scale, extra_args=["--quiet"]) as market:
        yield market


def connect_demo_restaurant(market_url: str, public_url: str, **store: Any) -> Any:
    """The demo restaurant (with its catalog), connected to the market with auto-accept on."""
    from catalog.demo import ensure_demo_restaurant, seed_demo_catalog
    from integrations.demo import connect_restaurant_to_sandbox

    restaurant, _ = ensure_demo_restaurant()
    seed_demo_catalog(restaurant)
    demo = connect_restaurant_to_sandbox(restaurant, market_url=market_url, public_url=public_url)
    if store:
        body = {"store_ref": demo.connection.store_id, **store}
        request = urllib.request.Request(f"{market_url}/_control/stores", data=json.dumps(body).encode(),
                                         headers={"Content-Type": "application/json"}, method="POST")
        with urllib.request.urlopen(request, timeout=10):
            pass
    return demo


def wait_until(predicate: Callable[[], Any], timeout: float, interval: float = 0.5) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


# -- figures ----------------------------------------------------------------------------------------------------
def percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def machine() -> dict[str, Any]:
    load = os.getloadavg()
    return {
        "cpus": os.cpu_count(),
        "cpu": _cpu_model(),
        "python": platform.python_version(),
        "load_avg_1_5_15": [round(x, 2) for x in load],
        "uptime": subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip(),
        "at": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
    }


def _cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor()


def table(headers: list[str], rows: list[list[Any]]) -> str:
    """A Markdown table (readable as plain text too)."""
    cells = [[str(c) for c in headers], *[[_fmt(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |" for row in cells]
    lines.insert(1, "| " + " | ".join("-" * w for w in widths) + " |")
    return "\n".join(lines)


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}" if abs(value) >= 10 else f"{value:.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def write_results(name: str, data: dict[str, Any], markdown: str) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    data = {**data, "machine": machine()}
    (RESULTS / f"{name}.json").write_text(json.dumps(data, indent=2, default=str) + "\n")
    footer = f"\n\nMachine: {data['machine']['cpus']} CPUs ({data['machine']['cpu']}), {data['machine']['uptime']}\n"
    (RESULTS / f"{name}.md").write_text(markdown + footer)
    print(markdown + footer, flush=True)
    print(f"results: {RESULTS / name}.json and .md", flush=True)
