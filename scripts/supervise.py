#!/usr/bin/env python3
"""Run the Procfile's processes on one machine, restarting any that dies, never stopping the others.

``honcho start`` (and foreman) stop every process as soon as one exits: a worker that dies takes
the web process down with it. This runs the same Procfile the same way (each command through
``/bin/sh -c``, so ``${PORT:-8000}`` works; output prefixed with the process name; ``.env`` read if
present) but restarts a process that exits, whatever its exit code, after a backoff that doubles
from ``--backoff`` up to ``--max-backoff`` seconds and starts over once the process has stayed up
``--stable`` seconds. SIGTERM or SIGINT stops them all: SIGTERM to each, SIGKILL to whatever is left
after ``--stop-timeout`` seconds (Celery's warm shutdown waits for running tasks).

    python scripts/supervise.py                        # every process of ./Procfile
    python scripts/supervise.py web inbound outbound bulk beat

On servers use systemd instead, one unit per process (deploy/systemd/, README "Running in production").
Standard library only.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

LINE = re.compile(r"^([A-Za-z0-9_-]+):\s*(.+)$")


def read_procfile(path: Path) -> dict[str, str]:
    processes: dict[str, str] = {}
    for raw in path.read_text().splitlines():
        match = LINE.match(raw.strip())
        if match and not raw.lstrip().startswith("#"):
            processes[match.group(1)] = match.group(2)
    return processes


def read_env_file(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.removeprefix("export ").partition("=")
        values[key.strip()] = value.strip().strip("'\"")
    return values


def log(message: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} supervise | {message}", flush=True)


@dataclass
class Child:
    name: str
    command: str
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    restarts: int = 0
    backoff: float = 0.0
    restart_at: float | None = None
    pumps: list[threading.Thread] = field(default_factory=list)


class Supervisor:
    def __init__(self, processes: dict[str, str], env: dict[str, str], cwd: Path, backoff: float,
                 max_backoff: float, stable: float, stop_timeout: float) -> None:
        self.children = [Child(name, command) for name, command in processes.items()]
        self.env, self.cwd = env, cwd
        self.initial_backoff, self.max_backoff, self.stable = backoff, max_backoff, stable
        self.stop_timeout = stop_timeout
        self.stopping = threading.Event()
        self.width = max(len(name) for name in processes)

    def start(self, child: Child) -> None:
        child.process = subprocess.Popen(  # noqa: S603 - the operator's own Procfile, as honcho runs it
            ["/bin/sh", "-c", child.command], cwd=self.cwd, env=self.env, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,  # its own process group
        )
        child.started_at, child.restart_at = time.monotonic(), None
        log(f"{child.name} started (pid {child.process.pid})")
        pump = threading.Thread(target=self._pump, args=(child, child.process), daemon=True)
        pump.start()
        child.pumps = [pump]

    def _pump(self, child: Child, process: subprocess.Popen) -> None:
        assert process.stdout is not None
        prefix = f"{child.name.ljust(self.width)} | "
        for line in iter(process.stdout.readline, b""):
            sys.stdout.write(prefix + line.decode(errors="replace"))
            sys.stdout.flush()

    def run(self) -> int:
        for child in self.children:
            self.start(child)
        while not self.stopping.is_set():
            now = time.monotonic()
            for child in self.children:
                if child.restart_at is not None:
                    if now >= child.restart_at:
                        child.restarts += 1
                        self.start(child)
                    continue
                assert child.process is not None
                code = child.process.poll()
                if code is None:
                    continue
                lived = now - child.started_at
                child.backoff = self.initial_backoff if lived >= self.stable or not child.backoff else min(
                    child.backoff * 2, self.max_backoff)
                child.restart_at = now + child.backoff
                log(f"{child.name} exited with code {code} after {lived:.1f} s; restarting in {child.backoff:g} s "
                    "(the others keep running)")
            self.stopping.wait(0.1)
        return self.stop_all()

    def stop_all(self) -> int:
        running = [c for c in self.children if c.process is not None and c.process.poll() is None]
        log(f"stopping {', '.join(c.name for c in running) or 'nothing'}")
        for child in running:
            self._signal(child, signal.SIGTERM)
        deadline = time.monotonic() + self.stop_timeout
        for child in running:
            assert child.process is not None
            try:
                child.process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log(f"{child.name} did not stop within {self.stop_timeout:g} s: SIGKILL")
                self._signal(child, signal.SIGKILL)
                child.process.wait()
        for child in self.children:
            if child.process is not None:  # the rest of its group (a shell's children) goes too
                self._signal(child, signal.SIGKILL)
        return 0

    @staticmethod
    def _signal(child: Child, signum: int) -> None:
        assert child.process is not None
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(child.process.pid, signum)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("processes", nargs="*", help="Procfile names to run (default: all)")
    parser.add_argument("-f", "--procfile", default="Procfile")
    parser.add_argument("-e", "--env", default=".env", help="KEY=VALUE lines, read when the file exists")
    parser.add_argument("--backoff", type=float, default=1.0, help="first restart delay, seconds")
    parser.add_argument("--max-backoff", type=float, default=30.0)
    parser.add_argument("--stable", type=float, default=60.0, help="up this long, a process's backoff starts over")
    parser.add_argument("--stop-timeout", type=float, default=60.0)
    args = parser.parse_args(argv)

    procfile = Path(args.procfile).resolve()
    defined = read_procfile(procfile)
    unknown = [name for name in args.processes if name not in defined]
    if unknown or not defined:
        parser.error(f"not in {procfile}: {', '.join(unknown)}" if unknown else f"no processes in {procfile}")
    chosen = {name: defined[name] for name in (args.processes or defined)}
    env = {**os.environ, **read_env_file(procfile.parent / args.env), "PYTHONUNBUFFERED": "1"}
    supervisor = Supervisor(chosen, env, procfile.parent, args.backoff, args.max_backoff, args.stable,
                            args.stop_timeout)

    def on_signal(signum: int, _frame: object) -> None:
        supervisor.stopping.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    return supervisor.run()


if __name__ == "__main__":
    sys.exit(main())
