"""GET /api/v1/orders/{id} says which status our last sync job carries (it was always "")."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_status_sync_names_the_status_the_last_job_carries(pos, order):
    pos.client.post(f"/api/v1/orders/{order.pk}/status", {"status": "accepted", "prep_minutes": 15}, format="json")
    first = pos.client.get(f"/api/v1/orders/{order.pk}").json()["status_sync"]
    assert first["status"] == "accepted" and first["state"] == "pending"

    pos.client.post(f"/api/v1/orders/{order.pk}/status", {"status": "preparing"}, format="json")
    latest = pos.client.get(f"/api/v1/orders/{order.pk}").json()["status_sync"]
    assert latest["status"] == "preparing"


def test_the_order_list_carries_the_same_status(pos, order):
    pos.client.post(f"/api/v1/orders/{order.pk}/status", {"status": "accepted"}, format="json")
    listed = pos.client.get("/api/v1/orders").json()["results"]
    assert [row["status_sync"]["status"] for row in listed] == ["accepted"]


def test_an_order_never_sent_has_no_status_sync(pos, order):
    assert pos.client.get(f"/api/v1/orders/{order.pk}").json()["status_sync"] is None
