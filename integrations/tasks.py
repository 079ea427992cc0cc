"""Celery discovers tasks here; they live with inbound, outbound and maintenance."""

from .inbound.tasks import *  # noqa: F403
from .maintenance_tasks import *  # noqa: F403
from .outbound.scheduled_confirmation_tasks import *  # noqa: F403
from .outbound.tasks import *  # noqa: F403
