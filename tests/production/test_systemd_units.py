"""deploy/systemd: one unit per Procfile process, restarted alone whenever it dies, running the Procfile's command.

The units are the Procfile written for systemd (``${X:-d}`` becomes ``${X}`` with ``Environment=X=d``,
celery's ``%h`` is written ``%%h``, programs come from the virtualenv): this keeps the two from drifting.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
UNITS = ROOT / "deploy" / "systemd"
VENV_BIN = "/opt/sinqro/.venv/bin/"


def procfile() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line and not line.startswith("#"))


def directives(unit: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in unit.read_text().splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, _, value = line.partition("=")
            found.setdefault(key, []).append(value)
    return found


@pytest.mark.parametrize("name", sorted(procfile()))
def test_each_procfile_process_has_a_unit_that_restarts_it_with_the_same_command(name):
    unit = directives(UNITS / f"sinqro-{name}.service")
    assert unit["Restart"] == ["always"]
    assert unit["StartLimitIntervalSec"] == ["0"]  # never gives up
    assert unit["PartOf"] == ["sinqro.target"]

    command = procfile()[name]
    defaults = dict(re.findall(r"\$\{(\w+):-([^}]*)\}", command))
    expected = re.sub(r"\$\{(\w+):-[^}]*\}", r"${\1}", command).replace("%h", "%%h")
    program, _, rest = expected.partition(" ")
    assert unit["ExecStart"] == [f"{VENV_BIN}{program} {rest}"]
    environment = dict(pair.split("=", 1) for line in unit["Environment"] for pair in line.split())
    assert {key: environment.get(key) for key in defaults} == defaults


def test_the_target_starts_the_production_processes_but_the_demo_market():
    wants = directives(UNITS / "sinqro.target")["Wants"][0].split()
    assert sorted(wants) == sorted(f"sinqro-{name}.service" for name in procfile() if name != "market")


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_reads_the_units_without_complaint_but_the_missing_install_paths():
    units = sorted(str(path) for path in UNITS.iterdir())
    result = subprocess.run(["systemd-analyze", "verify", "--man=no", *units], capture_output=True, text=True,
                            timeout=60, check=False, env={"SYSTEMD_LOG_LEVEL": "warning", "PATH": "/usr/bin:/bin"})
    complaints = [line for line in result.stderr.splitlines() if line and "/opt/sinqro/" not in line]
    assert complaints == []
