"""`make demo`: run the platform with the Sandbox Market on the embedded defaults.

Starts, in this order: the Sandbox Market (its own process and database), the demo restaurant and its logins
(seed_demo), the connection of the restaurant to the market, its menu and opening hours published there (so
the first order holds items of the restaurant's menu), a Celery worker and beat (file-system broker, no server
needed), the web server, and an order generator that makes the market send a few orders and reservations a
minute. Ctrl-C stops them all.

Ports: SINQRO_PORT (web, 8000) and SANDBOX_MARKET_PORT (8100). Quiet by default (no request lines, warnings
and errors only); ``-v`` shows everything. ``--reset-passwords`` (or DEMO_RESET_PASSWORDS=1) prints new
passwords for the demo logins; DEMO_ADMIN_PASSWORD / DEMO_MANAGER_PASSWORD set them, on any run.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
ORDERS_PER_MINUTE = os.environ.get("DEMO_ORDERS_PER_MINUTE", "3")
STORE = "casa-lucia"

# runserver's access log ("GET /x HTTP/1.1" 200 123) and Django's 4xx warnings: noise in a demo's console.
REQUEST_LINE = re.compile(r'"[A-Z]+ \S+ HTTP/[\d.]+" [1-4]\d\d\b')
CLIENT_ERROR = re.compile(r"WARNING django\.request (Not Found|Conflict|Bad Request|Unauthorized|Forbidden|Gone)")
# the file-system broker has no host, and Celery's warning about running as root (a container): said once a start
STARTUP_CHATTER = re.compile(
    r"No hostname was supplied|SecurityWarning|absolutely not recommended|Please specify a different user|"
    r"User information: uid=|_warn_or_raise_security_error|^\s*$|"
    # runserver's banner (the demo prints its own addresses)
    r"Performing system checks|System check identified no issues|Django version|Starting development server|"
    r"Quit the server with|This is a development server|For more information on production servers|"
    r"^[A-Z][a-z]+ \d{2}, \d{4} - \d"
)


def ports() -> tuple[int, int]:
    return int(os.environ.get("SINQRO_PORT", "8000")), int(os.environ.get("SANDBOX_MARKET_PORT", "8100"))


def urls(web_port: int, market_port: int) -> dict[str, str]:
    """Every address the demo prints, each one served (tests/smaller checks them against a running demo)."""
    web = f"http://127.0.0.1:{web_port}"
    return {
        "Admin (support)": f"{web}/admin/",
        "Casa Lucía's page (manager)": f"{web}/restaurants/{STORE}/",
        "POS API docs": f"{web}/api/v1/docs/",
        "Sandbox Market (what the channel received)": f"http://127.0.0.1:{market_port}/",
    }


def is_noise(line: str) -> bool:
    return bool(REQUEST_LINE.search(line) or CLIENT_ERROR.search(line) or STARTUP_CHATTER.search(line))


def wait_for(url: str, timeout: float = 30) -> None:
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


def _pump(name: str, stream, verbose: bool) -> None:
    for line in iter(stream.readline, ""):
        if verbose or not is_noise(line):
            sys.stdout.write(f"{name:>8} | {line}")
            sys.stdout.flush()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="request lines and info logs too")
    parser.add_argument("--reset-passwords", action="store_true", help="new passwords for the demo logins")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    web_port, market_port = ports()
    level = "info" if args.verbose else "warning"
    env = {
        **os.environ,
        "SANDBOX_MARKET_URL": f"http://127.0.0.1:{market_port}",
        "SINQRO_PUBLIC_URL": f"http://127.0.0.1:{web_port}",
        "PYTHONUNBUFFERED": "1",
    }
    var = Path(os.environ.get("SINQRO_VAR_DIR", "var"))
    (ROOT / var).mkdir(parents=True, exist_ok=True)
    processes: list[subprocess.Popen] = []

    def start(name: str, *command: str) -> None:
        print(f"starting {name}" + (f": {' '.join(command)}" if args.verbose else ""), flush=True)
        process = subprocess.Popen(  # noqa: S603 - our own commands
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
        )
        threading.Thread(target=_pump, args=(name, process.stdout, args.verbose), daemon=True).start()
        processes.append(process)

    def manage(*command: str) -> str:
        result = subprocess.run(  # noqa: S603 - our own commands
            [PY, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True
        )
        if result.returncode != 0:
            raise SystemExit(f"manage.py {' '.join(command)} failed:\n{result.stdout}{result.stderr}")
        return result.stdout

    try:
        market = [PY, "-m", "channel_simulators.sandbox_market", "--port", str(market_port),
                  "--db", str(var / "sandbox_market.sqlite3")]
        start("market", *market, *([] if args.verbose else ["--quiet"]))
        wait_for(f"http://127.0.0.1:{market_port}/_control/health")
        seeded = manage("seed_demo", *(["--reset-passwords"] if args.reset_passwords else []))
        print(seeded, end="", flush=True)
        print(manage("connect_sandbox", STORE).strip(), flush=True)
        print(manage("publish_demo", STORE).strip(), flush=True)
        celery = [PY, "-m", "celery", "-A", "sinqro_platform", *([] if args.verbose else ["--quiet"])]
        start("worker", *celery, "worker", "-P", "threads", "-c", "4",
              "-Q", ",".join(all_queues()), "-l", level, "--without-gossip", "--without-mingle")
        start("beat", *celery, "beat", "-l", level,
              "--schedule", str(var / "celerybeat-schedule"))
        start("web", PY, "manage.py", "runserver", f"127.0.0.1:{web_port}", "--noreload")
        wait_for(f"http://127.0.0.1:{web_port}/health/live/")
        start("orders", PY, "manage.py", "demo_orders", "--market-url", f"http://127.0.0.1:{market_port}",
              "--store", STORE, "--per-minute", ORDERS_PER_MINUTE)
        logins = [line for line in seeded.splitlines() if line.startswith("  ")]
        print("\nSinqro demo is running:", flush=True)
        for name, url in urls(web_port, market_port).items():
            print(f"  {name + ':':<46} {url}")
        print("Logins:\n" + "\n".join(logins))
        print("Quiet console: warnings and errors only (scripts/demo.py -v, or make demo V=1, for everything).")
        print("Press Ctrl-C to stop.\n", flush=True)
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
