"""Starting a validation run (staff, from a connection in admin): the run row, then a worker, after commit.

The rule of when a run may start is the runner's (``start_run``): only against a sandbox,
because validation posts test orders, statuses and pauses. The run is published by task
name (``integrations.enqueue``) once the row is committed, so the worker always finds it;
the admin shows the run's page at once and it fills in as the worker goes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from integrations.enqueue import RUN_VALIDATION, enqueue
from integrations.models import Connection, ValidationRun

from .runner import NotASandbox, start_run


@dataclass(frozen=True)
class Refusal:
    """A connection no run was started for, and why."""

    connection_id: int
    reason: str


@dataclass(frozen=True)
class RunsStarted:
    """The runs started (``running``, each published once after commit), and the refused connections."""

    runs: tuple[ValidationRun, ...]
    refused: tuple[Refusal, ...] = ()


def start_validation(connection: Connection, *, by: AbstractBaseUser | None = None) -> ValidationRun:
    """Create the run and hand it to a worker after commit. Raises ``NotASandbox`` for a production connection."""
    with transaction.atomic():
        run = start_run(connection, by)
        transaction.on_commit(partial(enqueue, RUN_VALIDATION, run.pk))
    return run


def start_validations(connections: Iterable[Connection], *, by: AbstractBaseUser | None = None) -> RunsStarted:
    """One run per sandbox connection; a production connection is refused with the reason, the others still start."""
    runs: list[ValidationRun] = []
    refused: list[Refusal] = []
    for connection in connections:
        try:
            runs.append(start_validation(connection, by=by))
        except NotASandbox as exc:
            refused.append(Refusal(connection.pk, str(exc)))
    return RunsStarted(tuple(runs), tuple(refused))
