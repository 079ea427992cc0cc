"""``manage.py worker_health``: exit 0 when a real worker answers through the broker, 1 when none does."""

from __future__ import annotations

import socket

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_no_worker_is_unhealthy(purge_broker, capsys):
    with pytest.raises(CommandError, match="no worker answered"):
        call_command("worker_health", "--timeout", "0.5")

    assert "database: ok" in capsys.readouterr().out


def test_a_running_worker_is_healthy_and_consumes_the_queues(celery_worker, capsys):
    queues = ["inbound", "outbound_urgent", "outbound_bulk", "celery"]
    call_command("worker_health", "--timeout", "3", *[arg for queue in queues for arg in ("--queue", queue)])

    out = capsys.readouterr().out
    assert "workers: test-" in out and f"queues: {', '.join(queues)} consumed" in out and "healthy" in out
    node = out.split("workers: ", 1)[1].split()[0].rstrip(",")

    # A container's healthcheck names its own worker: that one must answer.
    call_command("worker_health", "--timeout", "3", "--node", node)
    with pytest.raises(CommandError, match="asked nobody@"):
        call_command("worker_health", "--timeout", "1", "--node", f"nobody@{socket.gethostname()}")
    with pytest.raises(CommandError, match="nobody consumes reports"):
        call_command("worker_health", "--timeout", "3", "--queue", "reports")
