"""Prometheus metrics, read from the database when Prometheus scrapes: nothing is counted on the hot path.

Every figure is a few grouped queries on indexed columns at scrape time, so a
webhook request pays nothing for them and every web and worker process reports
the same numbers (no per-process counters to merge). Rows are purged by
retention, so per-state figures are *gauges over a recent window*; the one
true counter is each connection's rejection count.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from datetime import timedelta
from statistics import quantiles

from django.conf import settings
from django.db.models import Count, Min
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector, CollectorRegistry

from orders.models import Order

from .models import Connection, SyncJob, WebhookEvent, WebhookRejection

WINDOW = timedelta(hours=1)
WAITING_EVENTS = (WebhookEvent.State.RECEIVED, WebhookEvent.State.PROCESSING)
OPEN_JOBS = (SyncJob.State.PENDING, SyncJob.State.RUNNING, SyncJob.State.FAILED)


class PlatformCollector(Collector):
    """Webhooks in, events processed, jobs out, circuits and orders waiting for staff."""

    def collect(self) -> Iterator[GaugeMetricFamily | CounterMetricFamily]:
        now = timezone.now()
        since = now - WINDOW
        channels = dict(Connection.objects.values_list("pk", "channel__name"))

        events = GaugeMetricFamily(
            "sinqro_webhook_events_last_hour", "Webhooks stored in the last hour, by channel and state",
            labels=["channel", "state"],
        )
        for row in (WebhookEvent.objects.filter(received_at__gte=since)
                    .values("connection_id", "state").annotate(n=Count("id"))):
            events.add_metric([channels.get(row["connection_id"], "?"), row["state"]], row["n"])
        yield events

        waiting = GaugeMetricFamily(
            "sinqro_webhook_events_waiting", "Stored webhooks not yet processed, by channel", labels=["channel"]
        )
        age = GaugeMetricFamily(
            "sinqro_webhook_event_oldest_waiting_seconds", "Age of the oldest unprocessed webhook, by channel",
            labels=["channel"],
        )
        for row in (WebhookEvent.objects.filter(state__in=WAITING_EVENTS)
                    .values("connection_id").annotate(n=Count("id"), oldest=Min("received_at"))):
            channel = channels.get(row["connection_id"], "?")
            waiting.add_metric([channel], row["n"])
            age.add_metric([channel], (now - row["oldest"]).total_seconds())
        yield waiting
        yield age

        rejected = GaugeMetricFamily(
            "sinqro_webhook_rejections_last_hour", "Webhooks refused in the last hour, by HTTP status",
            labels=["status_code"],
        )
        for row in (WebhookRejection.objects.filter(received_at__gte=since)
                    .values("status_code").annotate(n=Count("id"))):
            rejected.add_metric([str(row["status_code"])], row["n"])
        yield rejected

        rejections = CounterMetricFamily(
            "sinqro_webhook_rejections", "Webhooks refused since the connection was made", labels=["connection"]
        )
        circuit = GaugeMetricFamily(
            "sinqro_connection_circuit_open", "1 while calls to the channel are held back by the circuit breaker",
            labels=["connection", "channel"],
        )
        for connection in Connection.objects.select_related("channel", "restaurant"):
            label = str(connection)
            rejections.add_metric([label], connection.webhook_rejections)
            circuit.add_metric([label, connection.channel.name], 1 if connection.circuit_is_open(now) else 0)
        yield rejections
        yield circuit

        jobs = GaugeMetricFamily(
            "sinqro_sync_jobs", "Outbound jobs pending, running or failed, by channel and kind",
            labels=["channel", "kind", "state"],
        )
        for row in (SyncJob.objects.filter(state__in=OPEN_JOBS)
                    .values("connection_id", "kind", "state").annotate(n=Count("id"))):
            jobs.add_metric([channels.get(row["connection_id"], "?"), row["kind"], row["state"]], row["n"])
        yield jobs

        latency = GaugeMetricFamily(
            "sinqro_sync_job_latency_seconds",
            "From a job's creation to the channel's answer, jobs that succeeded in the last hour",
            labels=["kind", "quantile"],
        )
        durations: dict[str, list[float]] = {}
        for kind, created, finished in (SyncJob.objects.filter(state=SyncJob.State.SUCCEEDED, finished_at__gte=since)
                                        .order_by("-finished_at").values_list("kind", "created_at", "finished_at")
                                        [:5000]):
            durations.setdefault(kind, []).append((finished - created).total_seconds())
        for kind, values in sorted(durations.items()):
            cuts = quantiles(values, n=100, method="inclusive") if len(values) > 1 else values * 99
            for quantile, value in (("0.5", cuts[49]), ("0.95", cuts[94]), ("0.99", cuts[98])):
                latency.add_metric([kind, quantile], value)
        yield latency

        attention = GaugeMetricFamily(
            "sinqro_orders_needing_attention", "Orders a person must look at", labels=["restaurant"]
        )
        for row in (Order.objects.filter(needs_attention=True)
                    .values("restaurant__name").annotate(n=Count("id"))):
            attention.add_metric([row["restaurant__name"]], row["n"])
        yield attention


_registry = CollectorRegistry(auto_describe=False)
_registry.register(PlatformCollector())
LOOPBACK = {"127.0.0.1", "::1"}


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    """``/metrics`` in Prometheus' text format.

    With ``METRICS_TOKEN`` set, Prometheus sends ``Authorization: Bearer <token>``;
    without it only this machine may scrape (the figures name restaurants and channels).
    """
    token = settings.METRICS_TOKEN
    if token:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given.encode(), token.encode()):
            return HttpResponse("a valid bearer token is required\n", status=401, content_type="text/plain")
    elif request.META.get("REMOTE_ADDR") not in LOOPBACK:
        return HttpResponse("set METRICS_TOKEN to scrape from another host\n", status=403, content_type="text/plain")
    return HttpResponse(generate_latest(_registry), content_type=CONTENT_TYPE_LATEST)
