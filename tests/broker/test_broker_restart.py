"""A worker holding countdown tasks survives its broker going away, and runs each task it held exactly once.

Real processes throughout: a Redis server of the test's own (never the shared 6379), or a RabbitMQ vhost
of its own; a real ``celery worker`` with the production pool (prefork); the tasks published by a real
process through ``integrations.enqueue``. Each run of ``tests.broker.tasks.record_run`` appends its token
to a file, so a token twice is a task run twice and a token missing is a task lost.

kombu 5.7.0 stopped such a worker ("Unrecoverable error: AttributeError: 'NoneType' object has no
attribute 'hostname'") and, once that is past, lost what it held when Redis came back empty;
``sinqro_platform/broker.py`` says why and what changed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.broker.redis_server import RedisServer, free_port, wait_for
from tests.broker.tasks import RECORD_RUN
from tests.conftest import PROJECT_ROOT, WorkerProcess, spawn_worker, stop_worker

pytestmark = pytest.mark.timeout(180)

COUNTDOWNS = (5, 6, 8, 10)


@pytest.fixture(params=["empty after a kill", "append-only file"])
def redis_server(request, tmp_path) -> Iterator[RedisServer]:
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    server = RedisServer(free_port(), folder=tmp_path / "redis" if request.param == "append-only file" else None)
    if server.folder:
        server.folder.mkdir()
    server.start()
    try:
        yield server
    finally:
        server.kill()


VHOST = "sinqro_test"


def rabbitmqctl(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["rabbitmqctl", *args], capture_output=True, text=True, timeout=60, check=False)


@pytest.fixture
def rabbitmq_url() -> str:
    """The vhost ``sinqro_test`` on the machine's RabbitMQ (created here), emptied of earlier runs."""
    if shutil.which("rabbitmqctl") is None:
        pytest.skip("rabbitmqctl is not available: no RabbitMQ to restart connections on")
    listed = rabbitmqctl("list_vhosts", "--quiet")
    if listed.returncode != 0:
        pytest.skip(f"rabbitmqctl cannot reach the RabbitMQ node: {listed.stderr.strip()[:200]}")
    if VHOST not in listed.stdout.split():
        assert rabbitmqctl("add_vhost", VHOST).returncode == 0
    assert rabbitmqctl("set_permissions", "-p", VHOST, "guest", ".*", ".*", ".*").returncode == 0
    rabbitmqctl("purge_queue", "-p", VHOST, "celery")  # a queue an earlier run left (absent the first time)
    return f"amqp://guest:guest@127.0.0.1:5672/{VHOST}"


def start_worker(broker_url: str) -> WorkerProcess:
    """A worker as the Procfile starts one (prefork), on the test's broker, knowing the test task."""
    env = {**os.environ, "CELERY_BROKER_URL": broker_url, "PYTHONUNBUFFERED": "1"}
    return spawn_worker(
        ["-P", "prefork", "-c", "2", "-Q", "celery", "-I", "tests.broker.tasks", "--without-gossip",
         "--without-mingle", "-l", "info", "-n", f"broker-test-{uuid.uuid4().hex[:8]}@%h"],
        env,
        timeout=60,
    )


PUBLISH = """
import sys
import django
django.setup()
from integrations.enqueue import enqueue
name, path, countdowns = sys.argv[1], sys.argv[2], sys.argv[3:]
for n, countdown in enumerate(countdowns):
    assert enqueue(name, path, f"task-{n}", countdown=float(countdown))
"""


def publish_countdown_tasks(broker_url: str, runs: Path) -> list[str]:
    """Publish one ``record_run`` per countdown from another process, as a service would."""
    env = {**os.environ, "CELERY_BROKER_URL": broker_url, "DJANGO_SETTINGS_MODULE": "sinqro_platform.settings"}
    command = [sys.executable, "-c", PUBLISH, RECORD_RUN, str(runs), *map(str, COUNTDOWNS)]
    subprocess.run(command, cwd=PROJECT_ROOT, env=env, check=True, timeout=60)
    return [f"task-{n}" for n in range(len(COUNTDOWNS))]


def runs_of(runs: Path) -> list[str]:
    return runs.read_text().split() if runs.exists() else []


def survives_and_runs_each_once(worker: WorkerProcess, runs: Path, tokens: list[str], outage: Callable[[], None]):
    assert wait_for(lambda: worker.text().count(" received") >= len(tokens), timeout=20), worker.text()[-3000:]
    assert runs_of(runs) == []  # held, waiting for their countdowns

    outage()

    assert wait_for(lambda: len(runs_of(runs)) >= len(tokens) or worker.process.poll() is not None, timeout=60)
    time.sleep(3)  # a late duplicate would show by now
    log = worker.text()
    assert worker.process.poll() is None, f"the worker exited:\n{log[-4000:]}"
    assert "Unrecoverable error" not in log
    assert sorted(runs_of(runs)) == sorted(tokens), f"each task once; ran {runs_of(runs)}\n{log[-4000:]}"


def test_a_worker_holding_countdown_tasks_survives_a_redis_kill_and_runs_each_once(redis_server, tmp_path):
    runs = tmp_path / "runs.txt"
    worker = start_worker(redis_server.url)
    try:
        tokens = publish_countdown_tasks(redis_server.url, runs)

        def kill_and_restart_redis() -> None:
            redis_server.kill()  # SIGKILL; without persistence its queues and unacked hash are gone
            time.sleep(2)
            redis_server.start()  # same port: empty, or with its unacked hash read back from the file

        survives_and_runs_each_once(worker, runs, tokens, kill_and_restart_redis)
        # The worker kept its copies while Redis was down; a server that kept its own gives those back instead,
        # and the worker's are not put back as well (each task ran once, above).
        assert "kept in this process" in worker.text()
    finally:
        stop_worker(worker)


def test_a_worker_holding_countdown_tasks_survives_losing_its_rabbitmq_connections(rabbitmq_url, tmp_path):
    runs = tmp_path / "runs.txt"
    worker = start_worker(rabbitmq_url)
    try:
        tokens = publish_countdown_tasks(rabbitmq_url, runs)

        def close_the_connections() -> None:
            closed = rabbitmqctl("close_all_connections", "--vhost", VHOST, "broker restart test")
            assert closed.returncode == 0, closed.stderr

        survives_and_runs_each_once(worker, runs, tokens, close_the_connections)
        assert "Connection to broker lost" in worker.text()  # the outage did reach the worker
    finally:
        stop_worker(worker)


def test_workers_wait_for_their_broker_however_long_it_is_away():
    from sinqro_platform.celery import app

    assert app.conf.broker_connection_max_retries is None  # Celery's default, 100, ends the worker
    assert app.conf.broker_connection_retry is True
