"""Real concurrency on PostgreSQL: redeliveries and parallel workers never make two orders or lose a status."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable

import pytest
import requests
from django.db import close_old_connections
from django.db import connection as db

from integrations.inbound.processing import process_webhook_event
from integrations.models import WebhookEvent
from orders.models import Order, OrderStatus
from tests.channels.sandbox_market_samples import ticket

from .conftest import market_event, signed_headers

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(db.vendor != "postgresql", reason="row locks and racing inserts are real on PostgreSQL only"),
]


def all_at_once(jobs: list[Callable[[], object]]) -> list[object]:
    """Run every job in its own thread (own database connection), released together by a barrier."""
    start = threading.Barrier(len(jobs))
    results: list[object] = [None] * len(jobs)

    def run(index: int, job: Callable[[], object]) -> None:
        try:
            start.wait()
            results[index] = job()
        except BaseException as exc:  # surfaced by the caller's asserts
            results[index] = exc
        finally:
            close_old_connections()
            db.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def stored_event(body: bytes, connection) -> int:
    event = WebhookEvent.objects.create(connection=connection, dedup_key=f"test:{hash(body)}:{random.random()}",
                                        body=body)
    return event.pk


def test_the_same_webhook_delivered_ten_times_at_once_is_one_event_and_one_order(live_server, connection, queued):
    body = market_event("ticket.created", "SM-000042", ticket=ticket())
    headers = signed_headers(body, event_id="evt-burst")
    url = f"{live_server.url}/webhooks/{connection.webhook_token}/"

    replies = all_at_once([lambda: requests.post(url, data=body, headers=headers, timeout=10)] * 10)

    assert all(isinstance(reply, requests.Response) for reply in replies), replies
    statuses = sorted(reply.status_code for reply in replies)
    assert statuses == [200] * 9 + [202]
    assert len({reply.json()["event_id"] for reply in replies}) == 1
    event_id = replies[0].json()["event_id"]
    # ... and ten workers handed that one event at once.
    outcomes = all_at_once([lambda: process_webhook_event(event_id)] * 10)
    assert [outcome.state for outcome in outcomes].count("processed") == 1, outcomes
    assert Order.objects.count() == 1
    assert Order.objects.get().status_changes.count() == 1


def test_ten_new_order_events_for_one_order_processed_at_once_make_one_order(connection):
    ids = [stored_event(market_event("ticket.created", "SM-000042", ticket=ticket()), connection) for _ in range(10)]

    outcomes = all_at_once([lambda event_id=event_id: process_webhook_event(event_id) for event_id in ids])

    assert [outcome.state for outcome in outcomes] == ["processed"] * 10, outcomes
    order = Order.objects.get()
    assert set(WebhookEvent.objects.values_list("order", flat=True)) == {order.pk}
    assert order.lines.count() == 3 and order.status_changes.count() == 1


def test_status_changes_processed_in_parallel_and_out_of_order_end_at_the_furthest(connection):
    process_webhook_event(stored_event(market_event("ticket.created", "SM-000042", ticket=ticket()), connection))
    states = ["CONFIRMED", "IN_KITCHEN", "READY", "ON_THE_WAY", "HANDED_OVER"]
    random.shuffle(states)
    ids = [stored_event(market_event("ticket.state_changed", "SM-000042", state=state), connection)
           for state in states]

    outcomes = all_at_once([lambda event_id=event_id: process_webhook_event(event_id) for event_id in ids])

    assert [outcome.state for outcome in outcomes] == ["processed"] * 5, outcomes
    order = Order.objects.get()
    assert (order.status, order.channel_status) == (OrderStatus.DELIVERED, "HANDED_OVER")
    history = list(order.status_changes.order_by("recorded_at", "id").values_list("to_status", "applied"))
    assert len(history) == 6  # arrival + every status the channel sent, applied or not
    assert sorted(to for to, _ in history[1:]) == sorted(["accepted", "preparing", "ready", "picked_up", "delivered"])
    assert history[-1] == ("delivered", True) or ("delivered", True) in history
    applied = [to for to, was_applied in history if was_applied]
    path = ["received", "accepted", "preparing", "ready", "picked_up", "delivered"]
    assert applied == sorted(applied, key=path.index)  # applied moves only ever went forward


def test_redeliveries_of_a_failed_event_arriving_at_once_take_it_again_once(live_server, connection, queued):
    body = market_event("ticket.created", "SM-000042", ticket=ticket())
    headers = signed_headers(body, event_id="evt-failed")
    url = f"{live_server.url}/webhooks/{connection.webhook_token}/"
    event_id = requests.post(url, data=body, headers=headers, timeout=10).json()["event_id"]
    WebhookEvent.objects.filter(pk=event_id).update(state=WebhookEvent.State.FAILED, error="the channel answered 404")

    replies = all_at_once([lambda: requests.post(url, data=body, headers=headers, timeout=10)] * 10)

    assert all(isinstance(reply, requests.Response) for reply in replies), replies
    assert sorted(reply.status_code for reply in replies) == [200] * 9 + [202]
    assert {reply.json()["event_id"] for reply in replies} == {event_id}
    assert queued == [event_id, event_id]  # stored once, taken again once
    event = WebhookEvent.objects.get()
    assert (event.state, event.attempts, event.error) == (WebhookEvent.State.RECEIVED, 0, "")
    assert process_webhook_event(event_id).state == WebhookEvent.State.PROCESSED
    assert Order.objects.count() == 1
