"""Starting a validation run without admin: the row first, the worker after commit; never against production."""

from __future__ import annotations

import pytest

from integrations.enqueue import RUN_VALIDATION
from integrations.models import ValidationRun
from integrations.validation.runner import NotASandbox
from integrations.validation.starting import Refusal, start_validation, start_validations
from tests.factories.integrations import ConnectionFactory
from tests.factories.restaurants import UserFactory

pytestmark = pytest.mark.django_db


def runs_published(published) -> list[int]:
    return [message.args[0] for message in published if message.task == RUN_VALIDATION]


def test_starting_a_validation_writes_a_running_run_and_publishes_it_once_after_commit(
    published, django_capture_on_commit_callbacks
):
    connection, staff = ConnectionFactory(), UserFactory(is_staff=True)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run = start_validation(connection, by=staff)
        assert runs_published(published) == []  # not before the row is committed

    assert (run.state, run.connection, run.module, run.by) == ("running", connection, connection.channel.module, staff)
    assert len(callbacks) == 1 and runs_published(published) == [run.pk]


def test_a_production_connection_is_refused_and_nothing_is_published(published, django_capture_on_commit_callbacks):
    connection = ConnectionFactory(environment="production")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(NotASandbox):
        start_validation(connection)

    assert not ValidationRun.objects.exists() and runs_published(published) == []


def test_starting_several_refuses_production_and_still_starts_the_sandboxes(
    published, django_capture_on_commit_callbacks
):
    sandbox, production = ConnectionFactory(), ConnectionFactory(environment="production")

    with django_capture_on_commit_callbacks(execute=True):
        started = start_validations([sandbox, production])

    [run] = started.runs
    assert run.connection == sandbox and runs_published(published) == [run.pk]
    [refusal] = started.refused
    assert isinstance(refusal, Refusal) and refusal.connection_id == production.pk
    assert "validation runs only against a sandbox" in refusal.reason
