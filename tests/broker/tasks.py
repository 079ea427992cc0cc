"""A task for the broker tests, loaded into a test's worker with ``--include tests.broker.tasks``.

Each run appends one line (its token) to a file the test names, so the test counts executions
without a database: a line twice is a task run twice, a missing line a task lost.
"""

from __future__ import annotations

import os

from celery import shared_task

RECORD_RUN = "tests.broker.tasks.record_run"


@shared_task(name=RECORD_RUN)
def record_run(path: str, token: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, f"{token}\n".encode())
    finally:
        os.close(fd)
