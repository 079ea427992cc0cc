"""CPU seconds used per process group (gunicorn, postgres, redis, load client, other), read from /proc.

A 2-core machine is saturated by a load test: throughput is then two cores
divided by the CPU one request costs across every process, so this is what
tells where a request's cost goes.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")
GROUPS = (("gunicorn", "gunicorn"), ("postgres", "postgres"), ("redis", "redis-server"), ("wrk", "wrk"),
          ("celery", "celery"))


def snapshot() -> dict[int, tuple[str, float]]:
    """CPU seconds so far of every live process, with its group."""
    found: dict[int, tuple[str, float]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat.rpartition(")")[2].split()
        seconds = (int(fields[11]) + int(fields[12])) / TICKS
        group = next((name for name, needle in GROUPS if needle in cmdline), "other")
        found[int(entry.name)] = (group, seconds)
    return found


def spent(before: dict[int, tuple[str, float]], after: dict[int, tuple[str, float]]) -> Counter[str]:
    """CPU seconds per group between two snapshots: new processes count from zero, ended ones are missed."""
    totals: Counter[str] = Counter()
    for pid, (group, seconds) in after.items():
        earlier = before.get(pid)
        totals[group] += seconds - (earlier[1] if earlier and earlier[0] == group else 0.0)
    return totals


def per_request_ms(seconds: Counter[str], requests: int) -> dict[str, float]:
    """CPU milliseconds per request in each group."""
    if not requests:
        return {}
    return {g: round(1000 * max(v, 0.0) / requests, 3) for g, v in sorted(seconds.items())}
