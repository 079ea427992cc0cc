"""The key's restaurants and each one's connection health."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from integrations.models import SyncJob
from tests.factories.integrations import ConnectionFactory

pytestmark = pytest.mark.django_db


def test_restaurants_of_the_key(pos, other_pos):
    body = pos.client.get("/api/v1/restaurants").json()
    assert [(r["slug"], r["now"]["status"]) for r in body] == [("casa-lucia", "closed")]
    assert pos.client.get(f"/api/v1/restaurants/{pos.restaurant.pk}").json()["currency"] == "EUR"


def test_connection_health(pos):
    broken = ConnectionFactory(restaurant=pos.restaurant, consecutive_failures=5, last_error="HTTP 500",
                               circuit_open_until=timezone.now() + timedelta(minutes=1))
    SyncJob.objects.create(connection=broken, kind="catalog", payload={}, state="failed", last_error="HTTP 500")
    SyncJob.objects.create(connection=pos.connection, kind="catalog", payload={})

    body = {c["id"]: c for c in pos.client.get(f"/api/v1/restaurants/{pos.restaurant.pk}/connections").json()}

    assert body[pos.connection.pk]["health"] == "ok" and body[pos.connection.pk]["reachable"] is True
    assert body[pos.connection.pk]["pending_jobs"] == 1
    assert body[broken.pk]["health"] == "circuit_open" and body[broken.pk]["reachable"] is False
    assert body[broken.pk]["failed_jobs"] == 1 and body[broken.pk]["module"] == "sandbox_market"
