"""The Celery app: tasks are discovered in every installed app's tasks.py, and in the packages named here.

Services publish tasks by name (``integrations.enqueue``) and never import a task module, so
nothing but this discovery makes a worker know a task: a task module outside an installed
app's ``tasks.py`` must be listed here.
"""

import os

from celery import Celery
from kombu.transport import TRANSPORT_ALIASES

# The embedded broker writes its message files atomically, and a worker holding Redis messages
# survives its Redis going away (sinqro_platform/broker.py says how, with kombu's lines).
TRANSPORT_ALIASES["filesystem"] = "sinqro_platform.broker:AtomicFilesystemTransport"
TRANSPORT_ALIASES["redis"] = TRANSPORT_ALIASES["rediss"] = "sinqro_platform.broker:SurvivingRedisTransport"

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinqro_platform.settings")

app = Celery("sinqro_platform")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()  # integrations/tasks.py gathers inbound, outbound and maintenance
app.autodiscover_tasks(["integrations.validation"])  # not an installed app: its tasks.py by name


def all_queues() -> list[str]:
    """Every queue a task may be routed to, read from the settings: what a worker for everything consumes."""
    from django.conf import settings

    names = {"celery", getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", "celery") or "celery"}
    for route in (getattr(settings, "CELERY_TASK_ROUTES", None) or {}).values():
        if isinstance(route, dict) and route.get("queue"):
            names.add(route["queue"])
    return sorted(str(name) for name in names)
