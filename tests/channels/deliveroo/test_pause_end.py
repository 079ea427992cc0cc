"""Deliveroo's site status has no end time: a pause with one is closed now and resumed by the platform at its end."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from integrations.models import SyncJob
from integrations.outbound.services.availability import pause_restaurant
from tests.factories.integrations import ChannelFactory, ConnectionFactory

pytestmark = pytest.mark.django_db

CREDENTIALS = {"client_id": "c", "client_secret": "api-secret", "webhook_secret": "hook-secret", "brand_id": "b"}


def test_a_pause_with_an_end_writes_the_resume_for_that_end():
    connection = ConnectionFactory(channel=ChannelFactory(module="deliveroo"), credentials=CREDENTIALS)
    until = timezone.now() + timedelta(hours=2)

    pause_restaurant(connection.restaurant, until, "Short of staff")

    kinds = {job.kind: job for job in SyncJob.objects.filter(connection=connection)}
    assert set(kinds) == {SyncJob.Kind.PAUSE, SyncJob.Kind.RESUME}
    assert kinds[SyncJob.Kind.RESUME].next_attempt_at == until


def test_an_open_ended_pause_writes_no_resume():
    connection = ConnectionFactory(channel=ChannelFactory(module="deliveroo"), credentials=CREDENTIALS)

    pause_restaurant(connection.restaurant, None, "Closed until further notice")

    assert list(SyncJob.objects.filter(connection=connection).values_list("kind", flat=True)) == [SyncJob.Kind.PAUSE]
