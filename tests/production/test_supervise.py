"""scripts/supervise.py: a dead process is started again, the others never stop; SIGTERM stops them all.

Real processes: the supervisor runs a Procfile of three small Python processes, each writing its pid
to a file of its own when it starts, and the test kills one of them with SIGKILL.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
SUPERVISE = ROOT / "scripts" / "supervise.py"

pytestmark = pytest.mark.timeout(60)


def wait_for(condition, timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def pids(folder: Path, name: str) -> list[int]:
    path = folder / f"{name}.pids"
    return [int(line) for line in path.read_text().split()] if path.exists() else []


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def procfile(tmp_path: Path) -> Path:
    program = tmp_path / "child.py"
    program.write_text(
        "import os, sys, time\n"
        "with open(os.path.join(sys.argv[1], sys.argv[2] + '.pids'), 'a') as f:\n"
        "    f.write(f'{os.getpid()}\\n')\n"
        "print(sys.argv[2], 'up', flush=True)\n"
        "time.sleep(600)\n"
    )
    path = tmp_path / "Procfile"
    path.write_text(
        "# a comment line, as in ours\n"
        + "".join(f"{name}: exec {sys.executable} {program} {tmp_path} {name}\n" for name in ("web", "inbound", "beat"))
    )
    return path


@pytest.fixture
def supervisor(procfile: Path):
    process = subprocess.Popen(
        [sys.executable, str(SUPERVISE), "-f", str(procfile), "--backoff", "0.2", "--stop-timeout", "5"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    yield process
    if process.poll() is None:
        process.kill()
        process.wait(timeout=10)


def test_a_killed_process_is_restarted_and_the_others_never_stop(procfile, supervisor):
    folder = procfile.parent
    names = ("web", "inbound", "beat")
    assert wait_for(lambda: all(len(pids(folder, name)) == 1 for name in names)), "the processes did not start"
    first = {name: pids(folder, name)[0] for name in names}

    os.kill(first["inbound"], signal.SIGKILL)
    assert wait_for(lambda: len(pids(folder, "inbound")) == 2), "the killed process was not started again"
    time.sleep(0.5)  # the others had every chance to be stopped

    assert alive(pids(folder, "inbound")[1])
    for name in ("web", "beat"):
        assert pids(folder, name) == [first[name]], f"{name} was restarted"
        assert alive(first[name]), f"{name} was stopped"
    assert supervisor.poll() is None

    # A process that keeps dying is restarted each time (backing off), still without touching the others.
    os.kill(pids(folder, "inbound")[1], signal.SIGKILL)
    assert wait_for(lambda: len(pids(folder, "inbound")) == 3)
    assert all(alive(first[name]) for name in ("web", "beat"))

    supervisor.send_signal(signal.SIGTERM)
    assert supervisor.wait(timeout=15) == 0
    output = supervisor.stdout.read()
    assert "inbound exited with code -9" in output and "restarting in 0.2 s" in output
    assert "restarting in 0.4 s" in output  # died again soon after: the delay doubled
    assert "web     | web up" in output  # each line prefixed with its process, as honcho does
    assert wait_for(lambda: not any(alive(pid) for name in names for pid in pids(folder, name)), timeout=5)


def test_only_the_named_processes_run_and_an_unknown_name_is_refused(procfile):
    result = subprocess.run([sys.executable, str(SUPERVISE), "-f", str(procfile), "web", "nope"],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 2 and "nope" in result.stderr

    process = subprocess.Popen([sys.executable, str(SUPERVISE), "-f", str(procfile), "beat"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert wait_for(lambda: len(pids(procfile.parent, "beat")) == 1)
        time.sleep(0.5)
        assert pids(procfile.parent, "web") == [] and pids(procfile.parent, "inbound") == []
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0


def test_our_procfile_is_read_with_every_process():
    sys.path.insert(0, str(SUPERVISE.parent))
    try:
        import supervise
    finally:
        sys.path.remove(str(SUPERVISE.parent))
    processes = supervise.read_procfile(ROOT / "Procfile")
    assert set(processes) == {"web", "inbound", "outbound", "bulk", "beat", "market"}
    assert processes["outbound"].startswith("celery -A sinqro_platform worker -Q outbound_urgent,celery")
