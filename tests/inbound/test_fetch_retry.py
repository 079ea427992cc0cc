"""A thin webhook whose order the channel cannot serve yet is not lost.

The Uber Eats simulator answers the GET over real HTTP, with faults injected: a 404 or a 5xx is retried on
the webhook schedule for the fetch retry window counted from the receipt, then the event fails with a reason
staff can read; a redelivery of a failed event takes it again, one of a processed event changes nothing.
"""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

import pytest
from django.urls import reverse

from integrations.inbound.processing import RetryLater, process_webhook_event
from integrations.models import WebhookEvent
from orders.models import Order
from tests.channels.uber_eats import samples as uber_samples

from .conftest import uber_webhook, webhook_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def uber_store(uber, uber_connection):
    """The connection's app and store on the Uber Eats simulator (no webhook URL: the test delivers by hand).

    A fresh client id per test, so no token cached by an earlier test is offered (and refused with a 401).
    """
    client_id = f"uber-app-{uuid.uuid4().hex[:8]}"
    uber.control("POST", "/_control/app", {"client_id": client_id, "client_secret": uber_samples.CLIENT_SECRET})
    uber.control("POST", "/_control/stores", {"store_id": uber_samples.STORE_ID})
    uber_connection.credentials = {**uber_connection.credentials, "client_id": client_id}
    uber_connection.save()
    uber_connection.channel.sandbox_base_url = uber.url
    uber_connection.channel.save()
    return uber


def uber_order(uber) -> str:
    return uber.control("POST", "/_control/orders", {"store_id": uber_samples.STORE_ID})["id"]


def fail_gets(uber, status: int, count: int) -> None:
    uber.control("POST", "/_control/faults", {"operation": "get_order", "status": status, "count": count})


def post_uber(client, connection, body: bytes):
    headers = uber_samples.sign(body)
    reply = client.post(webhook_url(connection), data=body, content_type=headers.pop("Content-Type"),
                        headers=headers)
    assert 200 <= reply.status_code < 300, reply.content
    return reply


def deliver_uber(client, connection, body: bytes) -> WebhookEvent:
    post_uber(client, connection, body)
    return WebhookEvent.objects.get(dedup_key=f"event:{json.loads(body)['event_id']}")


def retried(event_id: int) -> WebhookEvent:
    with pytest.raises(RetryLater):
        process_webhook_event(event_id)
    return WebhookEvent.objects.get(pk=event_id)


def received_earlier(event: WebhookEvent, **ago: float) -> None:
    WebhookEvent.objects.filter(pk=event.pk).update(received_at=event.received_at - timedelta(**ago))


@pytest.mark.parametrize("status", [404, 503])
def test_a_thin_webhook_whose_get_fails_twice_becomes_an_order_on_the_third_try(
    client, uber_connection, uber_store, status
):
    order_id = uber_order(uber_store)
    fail_gets(uber_store, status, count=2)
    event = deliver_uber(client, uber_connection, uber_webhook(order_id))

    first, second = retried(event.pk), retried(event.pk)
    outcome = process_webhook_event(event.pk)

    for waiting in (first, second):
        assert waiting.state == WebhookEvent.State.RECEIVED
        assert waiting.error.startswith("will retry for up to 10 min more: ")
        assert f"the channel answered {status} to the GET of order {order_id}" in waiting.error
    assert outcome.state == WebhookEvent.State.PROCESSED
    order = Order.objects.get(connection=uber_connection, channel_order_id=order_id)
    event.refresh_from_db()
    assert (event.order_id, event.attempts, event.error) == (order.pk, 3, "")
    assert uber_store.control("GET", "/_control/stats")["get_order"] == 3


def test_once_the_window_is_over_the_event_fails_and_needs_attention_with_the_reason_in_admin(
    client, admin_client, uber_connection, uber_store
):
    order_id = uber_order(uber_store)
    fail_gets(uber_store, 404, count=2)
    event = deliver_uber(client, uber_connection, uber_webhook(order_id))
    retried(event.pk)
    received_earlier(event, minutes=10, seconds=5)  # ten minutes pass, the channel still answers 404

    outcome = process_webhook_event(event.pk)

    event.refresh_from_db()
    reason = f"needs attention: the channel answered 404 for order {order_id} for 10 min after its webhook arrived"
    assert (outcome.state, event.state) == (WebhookEvent.State.FAILED, WebhookEvent.State.FAILED)
    assert event.error.startswith(reason + ", so the order was never fetched; gave up (last: ")
    assert not Order.objects.exists()
    failed_list = admin_client.get(reverse("admin:integrations_webhookevent_changelist"), {"state__exact": "failed"})
    assert f">{event.pk}<" in failed_list.content.decode()
    page = admin_client.get(reverse("admin:integrations_webhookevent_change", args=[event.pk]))
    assert reason in page.content.decode()


def test_the_last_try_comes_when_the_window_closes(client, uber_connection, uber_store, settings):
    settings.WEBHOOK_FETCH_RETRY_WINDOW_SECONDS = 60
    fail_gets(uber_store, 404, count=1)
    event = deliver_uber(client, uber_connection, uber_webhook(uber_order(uber_store)))
    received_earlier(event, seconds=57)

    with pytest.raises(RetryLater) as waiting:
        process_webhook_event(event.pk)

    assert 2.5 <= waiting.value.within <= 3.0
    assert waiting.value.delay(retries=5) <= waiting.value.within  # the schedule alone would wait 80 s or more


def test_a_refusal_a_retry_cannot_fix_fails_at_once(client, uber_connection, uber_store):
    fail_gets(uber_store, 403, count=1)
    event = deliver_uber(client, uber_connection, uber_webhook(uber_order(uber_store)))

    outcome = process_webhook_event(event.pk)

    assert outcome.state == WebhookEvent.State.FAILED
    assert "HTTP 403" in outcome.detail and "needs attention" not in outcome.detail


def test_a_redelivery_of_a_failed_event_takes_it_again_and_it_becomes_an_order(
    client, uber_connection, uber_store, queued, django_capture_on_commit_callbacks
):
    order_id = uber_order(uber_store)
    fail_gets(uber_store, 404, count=1)
    body = uber_webhook(order_id)
    with django_capture_on_commit_callbacks(execute=True):
        event = deliver_uber(client, uber_connection, body)
    received_earlier(event, minutes=11)
    assert process_webhook_event(event.pk).state == WebhookEvent.State.FAILED

    with django_capture_on_commit_callbacks(execute=True):
        reply = post_uber(client, uber_connection, body)  # Uber sends the same event again

    again = WebhookEvent.objects.get()
    assert again.pk == event.pk
    assert (again.state, again.attempts, again.error, again.processed_at) == (WebhookEvent.State.RECEIVED, 0, "",
                                                                              None)
    assert again.received_at > event.received_at  # the window counts from this receipt
    assert queued == [event.pk, event.pk]  # woken for it once more
    assert (reply.status_code, reply.content) == (200, b"")  # Uber's normal acknowledgement, not "duplicate"
    assert process_webhook_event(event.pk).state == WebhookEvent.State.PROCESSED
    assert Order.objects.filter(connection=uber_connection, channel_order_id=order_id).exists()


@pytest.mark.parametrize("state", [WebhookEvent.State.PROCESSED, WebhookEvent.State.PROCESSING,
                                   WebhookEvent.State.RECEIVED, WebhookEvent.State.IGNORED])
def test_a_redelivery_of_an_event_that_did_not_fail_changes_nothing(
    client, uber_connection, queued, state, django_capture_on_commit_callbacks
):
    body = uber_webhook("f9f363d1-e1c2-4595-b477-c649845bc953")
    with django_capture_on_commit_callbacks(execute=True):
        event = deliver_uber(client, uber_connection, body)
    WebhookEvent.objects.filter(pk=event.pk).update(state=state, attempts=1, error="as it was")

    with django_capture_on_commit_callbacks(execute=True):
        again = deliver_uber(client, uber_connection, body)

    assert (again.pk, again.state, again.attempts, again.error, again.received_at) == (
        event.pk, state, 1, "as it was", event.received_at)
    assert queued == [event.pk]
