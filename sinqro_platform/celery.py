"""The Celery app: tasks are discovered in every installed app's tasks.py."""

import os

from celery import Celery
from kombu.transport import TRANSPORT_ALIASES

# The embedded broker writes its message files atomically (sinqro_platform/broker.py).
TRANSPORT_ALIASES["filesystem"] = "sinqro_platform.broker:AtomicFilesystemTransport"

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinqro_platform.settings")

app = Celery("sinqro_platform")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def all_queues() -> list[str]:
    """Every queue a task may be routed to, read from the settings: what a worker for everything consumes."""
    from django.conf import settings

    names = {"celery", getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", "celery") or "celery"}
    for route in (getattr(settings, "CELERY_TASK_ROUTES", None) or {}).values():
        if isinstance(route, dict) and route.get("queue"):
            names.add(route["queue"])
    return sorted(str(name) for name in names)
