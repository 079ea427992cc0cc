"""The Celery task behind the admin's "Run validation" (thin: load the run, execute it).

Published by name (``enqueue(RUN_VALIDATION, run_id)``); discovered by ``sinqro_platform/celery.py``.
"""

from __future__ import annotations

from celery import shared_task

from integrations import enqueue
from integrations.models import ValidationRun

from .runner import execute_run


@shared_task(name=enqueue.RUN_VALIDATION, acks_late=True)
def run_validation_task(run_id: int) -> None:
    run = ValidationRun.objects.filter(pk=run_id, state=ValidationRun.State.RUNNING).first()
    if run is not None:  # a finished run redelivered: nothing to do
        execute_run(run)
