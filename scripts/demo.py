"""`make demo`: run the platform with the Sandbox Market on the embedded defaults.

Starts, in this order: the Sandbox Market (its own process and database), the
connection of the demo restaurant to it, a Celery worker and beat (file-system
broker, no server needed), the web server, and an order generator that makes
the market send a few orders and reservations a minute. Ctrl-C stops them all.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
MARKET_PORT = int(os.environ.get("SANDBOX_MARKET_PORT", "8100"))
WEB_PORT = int(os.environ.get("SINQRO_PORT", "8000"))
ORDERS_PER_MINUTE = os.environ.get("DEMO_ORDERS_PER_MINUTE", "3")


def wait_for(url: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1):  # noqa: S310 - a localhost URL we built
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within {timeout:.0f} s")


def all_queues() -> list[str]:
    """One demo worker consumes every queue (production runs one worker kind per queue: Procfile)."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinqro_platform.settings")
    from sinqro_platform.celery import all_queues as queues

    return queues()


def _stop_on_sigterm(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main() -> None:
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    env = {
        **os.environ,
        "SANDBOX_MARKET_URL": f"http://127.0.0.1:{MARKET_PORT}",
        "SINQRO_PUBLIC_URL": f"http://127.0.0.1:{WEB_PORT}",
        "PYTHONUNBUFFERED": "1",
    }
    (ROOT / "var").mkdir(exist_ok=True)
    processes: list[subprocess.Popen] = []

    def start(name: str, *args: str) -> None:
        print(f"starting {name}: {' '.join(args)}", flush=True)
        processes.append(subprocess.Popen(args, cwd=ROOT, env=env))  # noqa: S603 - our own commands

    try:
        start("Sandbox Market", PY, "-m", "channel_simulators.sandbox_market", "--port", str(MARKET_PORT),
              "--db", "var/sandbox_market.sqlite3", "--quiet")
        wait_for(f"http://127.0.0.1:{MARKET_PORT}/_control/health")
        subprocess.run([PY, "manage.py", "connect_sandbox"], cwd=ROOT, env=env, check=True)  # noqa: S603
        start("worker", PY, "-m", "celery", "-A", "sinqro_platform", "worker", "-P", "threads", "-c", "4",
              "-Q", ",".join(all_queues()), "-l", "warning", "--without-gossip", "--without-mingle")
        start("beat", PY, "-m", "celery", "-A", "sinqro_platform", "beat", "-l", "warning",
              "--schedule", "var/celerybeat-schedule")
        start("web", PY, "manage.py", "runserver", f"127.0.0.1:{WEB_PORT}", "--noreload")
        wait_for(f"http://127.0.0.1:{WEB_PORT}/admin/login/")
        if (ROOT / "integrations" / "management" / "commands" / "demo_orders.py").exists():
            start("order generator", PY, "manage.py", "demo_orders", "--market-url",
                  f"http://127.0.0.1:{MARKET_PORT}", "--store", "casa-lucia", "--per-minute", ORDERS_PER_MINUTE)
        print(
            "\nSinqro demo is running:\n"
            f"  Admin:          http://127.0.0.1:{WEB_PORT}/admin/   (logins printed above by seed_demo)\n"
            f"  Sandbox Market: http://127.0.0.1:{MARKET_PORT}/      (what the channel received)\n"
            "Press Ctrl-C to stop.\n",
            flush=True,
        )
        while all(process.poll() is None for process in processes):
            time.sleep(0.5)
        stopped = [p.args for p in processes if p.poll() is not None]
        print(f"a demo process stopped: {stopped}", file=sys.stderr)
    except KeyboardInterrupt:
        pass
    finally:
        for process in reversed(processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


if __name__ == "__main__":
    main()
