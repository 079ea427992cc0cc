"""Shared fixtures: fast hashing, the simulated channels as real processes, a real Celery worker."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from channel_simulators.testing import (
    SandboxMarketProcess,
    SimulatorProcess,
    WebhookInbox,
    running_sandbox_market,
    running_simulator,
)
from sinqro_platform.celery import all_queues

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2 makes every login fixture cost ~1 s; tests don't need slow hashes.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_wake_flag_from_an_earlier_test():
    # The flag lives in the cache, which outlives a test: a leftover one would keep a drain from being woken.
    from integrations.inbound.queueing import forget_wake

    forget_wake()


@pytest.fixture(scope="session")
def sandbox_market_process() -> Iterator[SandboxMarketProcess]:
    """One Sandbox Market process (its own database, real HTTP) for the whole session."""
    with running_sandbox_market(backoff_scale=0.05) as market:
        yield market


@pytest.fixture
def market(sandbox_market_process: SandboxMarketProcess) -> Iterator[SandboxMarketProcess]:
    """The Sandbox Market, emptied for this test (stores, tickets, faults, logs)."""
    sandbox_market_process.reset()
    yield sandbox_market_process
    sandbox_market_process.clear_faults()


@pytest.fixture(scope="session")
def uber_process() -> Iterator[SimulatorProcess]:
    """One Uber Eats simulator process for the whole session."""
    with running_simulator("uber_eats") as simulator:
        yield simulator


@pytest.fixture
def uber(uber_process: SimulatorProcess) -> SimulatorProcess:
    """The Uber Eats simulator, emptied for this test."""
    uber_process.reset()
    return uber_process


@pytest.fixture(scope="session")
def glovo_process() -> Iterator[SimulatorProcess]:
    """One Glovo simulator process for the whole session."""
    with running_simulator("glovo") as simulator:
        yield simulator


@pytest.fixture
def glovo(glovo_process: SimulatorProcess) -> SimulatorProcess:
    """The Glovo simulator, emptied for this test."""
    glovo_process.reset()
    return glovo_process


@pytest.fixture
def inbox() -> Iterator[WebhookInbox]:
    """A stand-in for the platform's webhook endpoint, for tests that catch a simulator's webhooks themselves."""
    box = WebhookInbox()
    yield box
    box.close()


def test_database_url() -> str:
    """The URL of the database the tests run on, for processes started by a test."""
    from django.db import connection

    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings_dict['NAME']}"
    user = settings_dict.get("USER") or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{settings_dict['NAME']}"


class WorkerProcess:
    """A real ``celery worker`` subprocess on the test database and the test broker."""

    def __init__(self, process: subprocess.Popen, output: list[str]) -> None:
        self.process = process
        self.output = output

    def text(self) -> str:
        return "".join(self.output)

    def kill(self) -> None:
        """SIGKILL: the worker dies mid-task, as in a crash."""
        self.process.kill()
        self.process.wait(timeout=10)


def start_worker(
    extra_env: dict[str, str] | None = None, concurrency: int = 2, queues: list[str] | None = None
) -> WorkerProcess:
    env = {**os.environ, "DATABASE_URL": test_database_url(), "PYTHONUNBUFFERED": "1", **(extra_env or {})}
    name = f"test-{uuid.uuid4().hex[:8]}@%h"
    return spawn_worker(
        ["-P", "threads", "-c", str(concurrency), "-Q", ",".join(queues or all_queues()), "--without-gossip",
         "--without-mingle", "--without-heartbeat", "-l", "info", "-n", name],
        env,
    )


def spawn_worker(worker_args: list[str], env: dict[str, str], timeout: float = 30) -> WorkerProcess:
    """``celery -A sinqro_platform worker <worker_args>`` as its own process, once it says it is ready."""
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "sinqro_platform", "worker", *worker_args],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output: list[str] = []
    ready = threading.Event()

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            output.append(line)
            if " ready." in line:
                ready.set()

    threading.Thread(target=pump, daemon=True).start()
    deadline = time.monotonic() + timeout
    while not ready.wait(0.1):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError("the Celery worker did not start:\n" + "".join(output)[-4000:])
    return WorkerProcess(process, output)


def stop_worker(worker: WorkerProcess) -> None:
    if worker.process.poll() is None:
        worker.process.terminate()
        try:
            worker.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.process.kill()
            worker.process.wait(timeout=5)


def purge_all_queues() -> None:
    """Drop what earlier tests left in every queue a task may be routed to (not only the default one)."""
    from sinqro_platform.celery import app

    with app.connection_for_write() as connection:
        channel = connection.default_channel
        for queue in all_queues():
            with contextlib.suppress(Exception):  # a queue never declared yet
                channel.queue_purge(queue)


@dataclass(frozen=True)
class Published:
    """One task message really sent to the broker."""

    task: str
    args: tuple
    eta: str | None
    queue: str


@pytest.fixture
def published() -> Iterator[list[Published]]:
    """Every task message this test sends to the broker (Celery's own signal); the queues are emptied after."""
    from celery.signals import before_task_publish

    sent: list[Published] = []

    def record(sender=None, headers=None, body=None, routing_key=None, **kwargs):
        sent.append(Published(sender, tuple(body[0]) if body else (), (headers or {}).get("eta"), routing_key))

    before_task_publish.connect(record, weak=False)
    yield sent
    before_task_publish.disconnect(record)
    purge_all_queues()


@pytest.fixture
def purge_broker() -> None:
    """Drop messages a previous test left in the broker, so a new worker starts clean."""
    purge_all_queues()


@pytest.fixture
def celery_worker(transactional_db, purge_broker) -> Iterator[WorkerProcess]:
    """A real worker process; the test's committed rows are visible to it."""
    worker = start_worker()
    try:
        yield worker
    finally:
        stop_worker(worker)
