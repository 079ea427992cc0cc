"""End to end: the Uber Eats simulator as its own process, our live server and a real Celery worker.

Uber sends a thin, HMAC-signed ``orders.notification`` to the connection's webhook URL; the worker fetches the
order with one GET (OAuth token cached across calls), stores it, and (auto-accept) accepts it on Uber through
the outbox. An accept that comes after Uber's 11.5-minute window is failed by the outbox, never retried.
"""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from integrations.models import ChannelCall, SyncJob, WebhookEvent
from integrations.outbound import sweeper
from integrations.outbound.services import change_order_status
from integrations.redaction import MASK
from orders.models import Order, OrderStatus
from tests.conftest import purge_all_queues, start_worker
from tests.factories.integrations import ChannelFactory, ConnectionFactory
from tests.outbound.conftest import FAST_ENV

pytestmark = pytest.mark.django_db(transaction=True)

STORE = "uber-e2e-store"
FINAL = (SyncJob.State.SUCCEEDED, SyncJob.State.FAILED, SyncJob.State.SUPERSEDED, SyncJob.State.CANCELLED)
NESTED = "get_order_nested_modifiers_removed_item"
"""Uber's documented order with nested options and removals, served by the simulator from the module's corpus."""


@pytest.fixture(scope="module")
def module_worker(django_db_setup):
    """One real worker for this file's tests (starting one costs seconds); the broker is purged first."""
    purge_all_queues()
    process = start_worker(extra_env=FAST_ENV)
    try:
        yield process
    finally:
        process.kill()  # every test is over: a warm shutdown would only cost seconds


@pytest.fixture
def worker(transactional_db, purge_broker, module_worker):
    return module_worker


def connect(uber, uber_app, live_server, *, auto_accept: bool):
    channel = ChannelFactory(module="uber_eats", sandbox_base_url=uber.url)
    connection = ConnectionFactory(channel=channel, store_id=STORE, credentials=dict(uber_app),
                                   auto_accept=auto_accept, auto_accept_prep_minutes=20)
    uber.control("POST", "/_control/stores",
                 {"store_id": STORE, "webhook_url": f"{live_server.url}/webhooks/{connection.webhook_token}/"})
    return connection


def arrived(uber, connection, order_id: str, **fields) -> Order:
    return uber.wait_for(
        lambda: Order.objects.filter(connection=connection, channel_order_id=order_id, **fields).first(), timeout=20
    )


def jobs_final(uber, timeout: float = 20.0) -> list[SyncJob]:
    uber.wait_for(lambda: not SyncJob.objects.exclude(state__in=FINAL).exists(), timeout=timeout, interval=0.1)
    return list(SyncJob.objects.order_by("id"))


def stats(uber) -> dict[str, int]:
    return uber.control("GET", "/_control/stats")


def test_a_thin_webhook_is_one_get_the_order_is_stored_whole_and_auto_accepted_on_uber_with_one_token(
    uber, uber_app, live_server, worker
):
    connection = connect(uber, uber_app, live_server, auto_accept=True)

    created = uber.control("POST", "/_control/orders", {"store_id": STORE, "fixture": NESTED})
    order = arrived(uber, connection, created["id"], status=OrderStatus.ACCEPTED)
    [job] = jobs_final(uber)

    # Exactly one GET for the thin notification, on both sides of the wire.
    assert stats(uber)["get_order"] == 1
    [get] = ChannelCall.objects.filter(connection=connection, operation="get_order")
    assert get.url.endswith(f"/v2/eats/order/{created['id']}") and get.correlation_id == order.correlation_id
    event = WebhookEvent.objects.get(connection=connection)
    assert (event.state, event.order_id) == ("processed", order.pk)

    # The order as Uber documents it (the corpus' expected result says the rest; the contract kit compares it).
    assert [line.sku for line in order.lines.filter(parent=None).order_by("position")] == ["byo-burger",
                                                                                          "caesar-salad"]
    assert order.total_amount == Decimal("29.16") == Decimal(created["payment"]["charges"]["total"]["amount"]) / 100
    assert (order.service_type, order.display_code) == ("delivery", created["display_id"])

    # Auto-accept went through the outbox to accept_pos_order, with the pickup time in Unix seconds.
    assert (job.kind, job.state, job.attempts, job.order_id) == (SyncJob.Kind.ORDER_STATUS, "succeeded", 1, order.pk)
    [accept] = uber.log("accept_pos_order")
    assert accept["order_id"] == created["id"]
    assert abs(accept["payload"]["pickup_time"] - (time.time() + 20 * 60)) < 60
    assert uber.control("GET", f"/_control/orders/{created['id']}")["current_state"] == "ACCEPTED"

    # A second order (a pickup): one more GET and one more accept, still the same token.
    pickup = uber.control("POST", "/_control/orders", {"store_id": STORE, "fixture": "get_order_pickup"})
    second = arrived(uber, connection, pickup["id"], status=OrderStatus.ACCEPTED)
    jobs_final(uber)
    assert second.service_type == "collection"
    counts = stats(uber)
    assert (counts["get_order"], counts["accept_pos_order"], counts["oauth_token"]) == (2, 2, 1)
    assert ChannelCall.objects.filter(connection=connection, operation="oauth_token").count() == 1

    # A scheduled order: orders.scheduled.notification, fetched the same way, is stored as scheduled (the event
    # type is Uber's only sign of it): its window opens at Uber's predicted ready time, no target is invented.
    planned = uber.control("POST", "/_control/orders", {"store_id": STORE, "fixture": "get_order_scheduled"})
    scheduled = arrived(uber, connection, planned["id"], status=OrderStatus.ACCEPTED)
    jobs_final(uber)
    assert scheduled.is_scheduled and scheduled.scheduled_for is None
    assert scheduled.scheduled_earliest == datetime.fromisoformat(planned["estimated_ready_for_pickup_at"])

    # Uber revokes the token: the next call gets a 401, fetches a new token once and succeeds.
    uber.control("POST", "/_control/tokens/revoke")
    third = uber.control("POST", "/_control/orders", {"store_id": STORE})
    arrived(uber, connection, third["id"], status=OrderStatus.ACCEPTED)
    jobs_final(uber)
    counts = stats(uber)
    assert (counts["get_order"], counts["oauth_token"]) == (4 + 1, 2)  # the GET refused with 401 is counted too
    assert set(SyncJob.objects.values_list("state", flat=True)) == {"succeeded"}

    # The eater cancels on Uber: orders.cancel moves the order we know, without another GET.
    uber.control("POST", f"/_control/orders/{created['id']}/cancel")
    cancelled = arrived(uber, connection, created["id"], status=OrderStatus.CANCELLED)
    assert cancelled.status_changes.last().channel_status == "CANCELED"
    assert stats(uber)["get_order"] == 5

    # The client secret and the bearer tokens are never kept in clear.
    recorded = json.dumps(list(ChannelCall.objects.values_list("request_headers", "request_body", "response_body")))
    stored = json.dumps(list(WebhookEvent.objects.values_list("headers", flat=True)))
    assert uber_app["client_secret"] not in recorded + stored
    assert {call.request_headers.get("Authorization") for call in ChannelCall.objects.exclude(
        operation="oauth_token")} == {MASK}
    issued = json.loads(ChannelCall.objects.filter(operation="oauth_token").first().response_body)
    assert issued["access_token"] == MASK


def test_an_accept_after_ubers_window_is_failed_by_the_outbox_and_never_retried(
    uber, uber_app, live_server, worker
):
    connection = connect(uber, uber_app, live_server, auto_accept=False)
    late = uber.control("POST", "/_control/orders", {"store_id": STORE})
    order = arrived(uber, connection, late["id"], status=OrderStatus.RECEIVED)

    # Twelve minutes pass on both clocks: Uber auto-cancels, our order is past its deadline.
    uber.control("POST", f"/_control/orders/{late['id']}/age", {"minutes": 12})
    Order.objects.filter(pk=order.pk).update(placed_at=timezone.now() - timedelta(minutes=12))
    order.refresh_from_db()
    change_order_status(order, OrderStatus.ACCEPTED)
    [job] = jobs_final(uber)

    assert job.deadline_at == order.placed_at + timedelta(minutes=11.5) < timezone.now()
    assert job.state == SyncJob.State.FAILED
    assert job.last_error == "too late: the channel wanted accepted within 11.5 min (the order is auto-cancelled)"
    assert job.attempts == 0 and not job.attempt_rows.exists()
    # Nothing brings it back: the sweep (beat's safety net, which re-queues what is due or stuck) finds nothing
    # to send, so no retry is queued for the worker, now or later.
    swept = sweeper.sweep_due_jobs()
    assert (swept["reclaimed"], swept["enqueued"]) == (0, 0)
    job.refresh_from_db()
    assert (job.state, job.attempts) == (SyncJob.State.FAILED, 0)
    assert "accept_pos_order" not in stats(uber)
    assert not ChannelCall.objects.filter(connection=connection, operation="set_order_status").exists()

    # Our clock says in time, Uber's says too late: one attempt, Uber's refusal, failed at once, not retried.
    skewed = uber.control("POST", "/_control/orders", {"store_id": STORE})
    other = arrived(uber, connection, skewed["id"], status=OrderStatus.RECEIVED)
    uber.control("POST", f"/_control/orders/{skewed['id']}/age", {"minutes": 12})
    change_order_status(other, OrderStatus.ACCEPTED)
    jobs_final(uber)
    refused = SyncJob.objects.get(order=other)

    assert refused.state == SyncJob.State.FAILED and refused.attempts == 1
    assert refused.last_error == (
        f"Order {skewed['id']} was auto-cancelled: not accepted within 11.5 minutes")
    assert stats(uber)["accept_pos_order"] == 1
    assert list(ChannelCall.objects.filter(operation="set_order_status").values_list("status_code", flat=True)) == [
        409]


def test_an_order_uber_cannot_serve_yet_is_fetched_again_until_it_can_and_uber_got_200_at_once(
    uber, uber_app, live_server, worker
):
    connection = connect(uber, uber_app, live_server, auto_accept=False)
    uber.control("POST", "/_control/faults", {"operation": "get_order", "status": 404, "count": 2})

    created = uber.control("POST", "/_control/orders", {"store_id": STORE})
    order = uber.wait_for(
        lambda: Order.objects.filter(connection=connection, channel_order_id=created["id"]).first(), timeout=40)

    # Two 404s, then the order: three GETs on the webhook schedule, one event, no staff.
    event = WebhookEvent.objects.get(connection=connection)
    assert (event.state, event.order_id, event.attempts, event.error) == ("processed", order.pk, 3, "")
    assert list(ChannelCall.objects.filter(connection=connection, operation="get_order").order_by("id")
                .values_list("status_code", flat=True)) == [404, 404, 200]
    assert stats(uber)["get_order"] == 3
    # Uber was answered 200 on its first send (its documented acknowledgement), so it never resent.
    [delivery] = uber.webhooks()
    assert delivery["delivered"] and [attempt["status"] for attempt in delivery["attempts"]] == [200]


# --- scheduled orders are accepted twice ---------------------------------------------------------------------
# "all orders that are scheduled must be accepted twice, once during the orders.scheduled.notification and again
# at orders.notification" (developer.uber.com/docs/eats/guides/order_integration): the platform sends the second.

SCHEDULED = "get_order_scheduled"
"""Uber's documented order announced by orders.scheduled.notification, served from the module's corpus."""


def accepts_of(uber, order_id: str) -> list[dict]:
    return [entry for entry in uber.log("accept_pos_order") if entry.get("order_id") == order_id]


def test_a_scheduled_order_is_accepted_when_announced_and_again_when_due(uber, uber_app, worker, live_server):
    connection = connect(uber, uber_app, live_server, auto_accept=True)
    created = uber.control("POST", "/_control/orders", {"store_id": STORE, "fixture": SCHEDULED})
    order = arrived(uber, connection, created["id"], status=OrderStatus.ACCEPTED)
    jobs_final(uber)
    assert order.is_scheduled
    assert len(accepts_of(uber, created["id"])) == 1  # announced: accepted once, nothing more yet

    uber.control("POST", f"/_control/orders/{created['id']}/due")  # Uber: orders.notification, waits for accept
    uber.wait_for(lambda: len(accepts_of(uber, created["id"])) == 2, timeout=20)
    jobs_final(uber)

    assert uber.control("GET", f"/_control/orders/{created['id']}")["current_state"] == "ACCEPTED"
    order.refresh_from_db()
    assert order.status == OrderStatus.ACCEPTED  # the order did not move: only the channel heard it twice
    jobs = SyncJob.objects.filter(order=order, kind=SyncJob.Kind.ORDER_STATUS).order_by("id")
    assert [(job.payload["update"]["status"], job.state) for job in jobs] == [
        ("accepted", "succeeded"), ("accepted", "succeeded")]
    assert jobs[1].deadline_at > jobs[0].deadline_at  # the second window counts from the second announcement
    assert jobs[1].payload["update"]["prep_minutes"] == 20


def test_an_order_not_scheduled_is_never_accepted_twice(uber, uber_app, worker, live_server):
    connection = connect(uber, uber_app, live_server, auto_accept=True)
    created = uber.control("POST", "/_control/orders", {"store_id": STORE})
    arrived(uber, connection, created["id"], status=OrderStatus.ACCEPTED)
    jobs_final(uber)

    uber.control("POST", f"/_control/orders/{created['id']}/due")  # announced again all the same
    uber.wait_for(lambda: WebhookEvent.objects.filter(state="processed").count() == 2, timeout=20)
    jobs_final(uber)

    assert len(accepts_of(uber, created["id"])) == 1
