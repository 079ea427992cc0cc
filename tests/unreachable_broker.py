"""A Celery app whose broker is a Redis port nobody listens on, made current for one block.

``integrations.enqueue`` publishes through Celery's current app, so a test that makes this one
current sees what a web request or a worker sees when the broker is down: no mock of our code.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager

from celery import Celery, current_app
from django.conf import settings


def closed_port() -> int:
    """A local port that was free a moment ago and has nothing listening on it now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def unreachable_broker() -> Iterator[Celery]:
    """The current app publishes to ``redis://127.0.0.1:<closed port>``, with our routes and publish retries."""
    previous = current_app._get_current_object()
    url = f"redis://127.0.0.1:{closed_port()}/0"
    app = Celery("unreachable-broker", set_as_current=False)
    # Publishing connects to the write URL; set it too, as CELERY_BROKER_URL in the environment
    # (the Redis test run) would win over ``broker_url``.
    app.conf.update(
        broker_url=url, broker_write_url=url, task_routes=settings.CELERY_TASK_ROUTES, broker_connection_timeout=1
    )
    app.set_current()
    try:
        yield app
    finally:
        previous.set_current()
        app.close()
