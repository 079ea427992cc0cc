"""The production topology: the Procfile's processes and the Celery settings they rely on."""

from __future__ import annotations

import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from sinqro_platform.celery import all_queues, app

ROOT = Path(__file__).resolve().parents[2]


def procfile() -> dict[str, list[str]]:
    processes = {}
    for line in (ROOT / "Procfile").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, command = line.split(":", 1)
            processes[name.strip()] = shlex.split(command)
    return processes


def test_the_procfile_runs_gunicorn_the_workers_beat_and_the_demo_market():
    processes = procfile()

    assert processes["web"][:2] == ["gunicorn", "sinqro_platform.wsgi"]
    workers = {
        name: argv for name, argv in processes.items() if argv[:4] == ["celery", "-A", "sinqro_platform", "worker"]
    }
    queues = {q for argv in workers.values() for q in argv[argv.index("-Q") + 1].split(",")}
    assert queues == set(all_queues())  # every routed queue, and the default one, has a consumer
    assert queues == {"inbound", "outbound_urgent", "outbound_bulk", "celery"}
    assert "outbound_bulk" not in workers["outbound"][workers["outbound"].index("-Q") + 1]  # its own workers
    assert all("-n" in argv for argv in workers.values())  # distinct node names, for worker_health --node
    beats = [argv for argv in processes.values() if argv[:4] == ["celery", "-A", "sinqro_platform", "beat"]]
    assert len(beats) == 1
    assert processes["market"][:3] == ["python", "-m", "channel_simulators.sandbox_market"]


@pytest.mark.skipif(shutil.which("honcho") is None and not (ROOT / ".venv/bin/honcho").exists(), reason="no honcho")
def test_honcho_accepts_the_procfile():
    honcho = shutil.which("honcho") or str(ROOT / ".venv/bin/honcho")
    result = subprocess.run([honcho, "check"], cwd=ROOT, capture_output=True, text=True, timeout=30)

    assert result.returncode == 0, result.stderr
    assert "web, inbound, outbound, bulk, beat, market" in result.stderr + result.stdout


def test_each_task_goes_to_its_queue():
    router = app.amqp.router
    assert router.route({}, "integrations.inbound.tasks.process_webhook_event")["queue"].name == "inbound"
    assert router.route({}, "integrations.inbound.tasks.drain_received_events")["queue"].name == "inbound"
    assert router.route({}, "integrations.outbound.tasks.run_sync_job")["queue"].name == "outbound_urgent"
    assert router.route({}, "integrations.outbound.tasks.run_bulk_sync_job")["queue"].name == "outbound_bulk"
    assert router.route({}, "integrations.outbound.tasks.sweep_due_jobs")["queue"].name == "outbound_urgent"
    assert router.route({}, "integrations.maintenance.purge_old_records")["queue"].name == "celery"


def test_workers_take_one_task_at_a_time_and_acknowledge_it_when_done():
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True


def test_the_visibility_timeout_outlasts_every_task_and_countdown():
    longest_task = max(
        [app.conf.task_time_limit] + [a["time_limit"] for a in settings.CELERY_TASK_ANNOTATIONS.values()]
    )
    assert longest_task < settings.CELERY_VISIBILITY_TIMEOUT_SECONDS
    assert settings.CELERY_VISIBILITY_TIMEOUT_SECONDS > settings.OUTBOUND_COUNTDOWN_MAX_SECONDS
    assert settings.CELERY_VISIBILITY_TIMEOUT_SECONDS > 300  # the longest webhook-processing retry countdown
    # A task still running is never handed out again by a sweeper.
    assert app.conf.task_time_limit < settings.OUTBOUND_RUNNING_TIMEOUT_SECONDS
    assert app.conf.task_time_limit < settings.WEBHOOK_PROCESSING_TIMEOUT_SECONDS
    if settings.CELERY_BROKER_URL.startswith("redis"):
        assert app.conf.broker_transport_options["visibility_timeout"] == settings.CELERY_VISIBILITY_TIMEOUT_SECONDS


def test_beat_runs_the_sweepers_reconciliation_and_the_purge():
    tasks = {entry["task"] for entry in app.conf.beat_schedule.values()}

    assert tasks == {
        "integrations.inbound.tasks.sweep_webhook_events",
        "integrations.inbound.tasks.reconcile_orders",
        "integrations.outbound.tasks.sweep_due_jobs",
        "integrations.maintenance.purge_old_records",
        "integrations.outbound.scheduled_confirmation_tasks.confirm_scheduled_orders",
    }
    import integrations.tasks  # noqa: F401 - what the worker's autodiscovery imports

    assert tasks <= set(app.tasks)
