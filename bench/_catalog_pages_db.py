"""Shared set-up of the catalog and pages benches: a fresh PostgreSQL database, Django, results files.

Each bench drops and recreates its own database, migrates it and runs against
it, so it needs nothing but a PostgreSQL server (and Redis for the cache).
"""

from __future__ import annotations

import base64
import json
import os
import platform
import secrets
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"

DEFAULTS = {
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/sinqro_bench_b",
    "CACHE_URL": "rediscache://127.0.0.1:6379/5",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/4",
    # Production-like: no query log kept by DEBUG, no HTTPS redirect for the test client.
    "DEBUG": "false",
    # production refuses the repository's development keys: these are the bench's own, made per run
    "SECRET_KEY": "bench-" + secrets.token_urlsafe(40),
    "SINQRO_SECRET_KEYS": base64.urlsafe_b64encode(os.urandom(32)).decode(),
    "SINQRO_ADMIN_REQUIRES_2FA": "false",  # the bench logs in with force_login; 2FA has its own tests
    "SECURE_SSL_REDIRECT": "false",
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
    "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
    "LOG_LEVEL": "WARNING",
    "SINQRO_VAR_DIR": "var/bench",
}


def prepare_environment(database_name: str) -> str:
    """Set the bench's environment (keeping what the caller exported) and return the database URL."""
    if sys.path[0] != str(ROOT):
        # Run as `python bench/x.py`: the bench folder would shadow the apps (bench/catalog.py vs catalog/).
        sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
    for name, value in DEFAULTS.items():
        os.environ.setdefault(name, value)
    url = urlparse(os.environ["DATABASE_URL"])
    if os.environ.get("BENCH_KEEP_DATABASE_URL") != "1":
        url = url._replace(path=f"/{database_name}")
        os.environ["DATABASE_URL"] = url.geturl()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinqro_platform.settings")
    return os.environ["DATABASE_URL"]


def recreate_database(database_url: str) -> None:
    """DROP and CREATE the bench database (psycopg on the server's ``postgres`` database), then migrate."""
    import psycopg

    url = urlparse(database_url)
    name = url.path.lstrip("/")
    admin = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, check=True, env=os.environ.copy()
    )


def setup_django() -> None:
    import django

    django.setup()


def machine() -> dict[str, Any]:
    """What the figures were measured on, and how busy it was."""
    load = os.getloadavg()
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average_1_5_15": [round(value, 2) for value in load],
        "uptime": _uptime(),
        "measured_at": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
    }


def _uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def table(headers: list[str], rows: list[list[Any]]) -> str:
    """A Markdown table (also readable in a terminal)."""
    text_rows = [[str(cell) for cell in row] for row in rows]
    widths = [max(len(str(header)), *(len(row[i]) for row in text_rows)) for i, header in enumerate(headers)]
    line = lambda cells: "| " + " | ".join(cell.ljust(widths[i]) for i, cell in enumerate(cells)) + " |"  # noqa: E731
    return "\n".join(
        [line(headers), "|" + "|".join("-" * (width + 2) for width in widths) + "|", *map(line, text_rows)]
    )


def write_results(name: str, data: dict[str, Any], markdown: str) -> tuple[Path, Path]:
    RESULTS.mkdir(parents=True, exist_ok=True)
    json_path = RESULTS / f"{name}.json"
    md_path = RESULTS / f"{name}.md"
    json_path.write_text(json.dumps(data, indent=2, default=str) + "\n")
    md_path.write_text(markdown + "\n")
    return json_path, md_path
