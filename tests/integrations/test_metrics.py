"""/metrics: what Prometheus reads, computed from the rows at scrape time, and who may read it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from integrations.models import SyncJob, WebhookEvent, WebhookRejection
from tests.factories.integrations import ConnectionFactory, SyncJobFactory, WebhookEventFactory
from tests.factories.orders import OrderFactory

pytestmark = pytest.mark.django_db


def _samples(response) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain")
    found = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def test_metrics_show_webhooks_jobs_circuits_and_orders_waiting(client, django_assert_max_num_queries):
    now = timezone.now()
    connection = ConnectionFactory(
        channel__name="Glovo ES", webhook_rejections=7, circuit_open_until=now + timedelta(minutes=1)
    )
    WebhookEventFactory(connection=connection, state=WebhookEvent.State.PROCESSED)
    WebhookEventFactory(connection=connection, state=WebhookEvent.State.FAILED)
    WebhookEventFactory(connection=connection, received_at=now - timedelta(seconds=90))  # waiting for 90 s
    WebhookEventFactory(connection=connection, received_at=now - timedelta(hours=3), state=WebhookEvent.State.PROCESSED)
    WebhookRejection.objects.create(connection=connection, status_code=401, reason="bad signature")
    SyncJobFactory(connection=connection, kind=SyncJob.Kind.ORDER_STATUS, state=SyncJob.State.PENDING)
    SyncJobFactory(connection=connection, kind=SyncJob.Kind.PAUSE, state=SyncJob.State.FAILED)
    for seconds in (1, 2, 3, 10):
        SyncJobFactory(connection=connection, kind=SyncJob.Kind.ORDER_STATUS, state=SyncJob.State.SUCCEEDED,
                       created_at=now - timedelta(seconds=seconds), finished_at=now)
    OrderFactory(restaurant=connection.restaurant, connection=connection, needs_attention=True)

    with django_assert_max_num_queries(10):
        got = _samples(client.get("/metrics"))

    glovo = ("channel", "Glovo ES")
    assert got[("sinqro_webhook_events_last_hour", (glovo, ("state", "processed")))] == 1
    assert got[("sinqro_webhook_events_last_hour", (glovo, ("state", "failed")))] == 1
    assert got[("sinqro_webhook_events_last_hour", (glovo, ("state", "received")))] == 1
    assert got[("sinqro_webhook_events_waiting", (glovo,))] == 1
    assert 89 <= got[("sinqro_webhook_event_oldest_waiting_seconds", (glovo,))] <= 120
    assert got[("sinqro_webhook_rejections_last_hour", (("status_code", "401"),))] == 1
    assert got[("sinqro_webhook_rejections_total", (("connection", str(connection)),))] == 7
    assert got[("sinqro_connection_circuit_open", (glovo, ("connection", str(connection))))] == 1
    assert got[("sinqro_sync_jobs", (glovo, ("kind", "order_status"), ("state", "pending")))] == 1
    assert got[("sinqro_sync_jobs", (glovo, ("kind", "pause"), ("state", "failed")))] == 1
    assert got[("sinqro_sync_job_latency_seconds", (("kind", "order_status"), ("quantile", "0.5")))] == 2.5
    assert got[("sinqro_sync_job_latency_seconds", (("kind", "order_status"), ("quantile", "0.99")))] > 9
    assert got[("sinqro_orders_needing_attention", (("restaurant", connection.restaurant.name),))] == 1


def test_without_a_token_only_this_machine_may_scrape(client):
    assert client.get("/metrics", REMOTE_ADDR="10.0.0.9").status_code == 403
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 200


def test_with_a_token_the_bearer_must_match(client, settings):
    settings.METRICS_TOKEN = "scrape-me"
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    assert client.get("/metrics", REMOTE_ADDR="10.0.0.9", HTTP_AUTHORIZATION="Bearer scrape-me").status_code == 200
    assert client.post("/metrics", HTTP_AUTHORIZATION="Bearer scrape-me").status_code == 405
