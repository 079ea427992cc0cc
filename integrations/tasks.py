"""Celery discovers tasks here; they live with inbound and outbound."""

from .inbound.tasks import *  # noqa: F403
from .outbound.tasks import *  # noqa: F403
