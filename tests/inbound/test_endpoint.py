"""The webhook endpoint: stores first, answers at once, refuses bad input with a reason and never a 500."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import connection as db
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from integrations.models import WebhookEvent, WebhookRejection
from tests.channels.sandbox_market_samples import ticket
from tests.factories.integrations import ConnectionFactory

from .conftest import deliver, market_event, signed_headers, webhook_url

pytestmark = pytest.mark.django_db


def test_an_authentic_webhook_is_stored_and_answered_202_with_its_event_id(
    client, connection, queued, django_capture_on_commit_callbacks
):
    body = market_event("ticket.created", "SM-000042", ticket=ticket())

    with django_capture_on_commit_callbacks(execute=True):
        reply = deliver(client, connection, body, signed_headers(body, event_id="evt-1"))

    assert reply.status_code == 202
    event = WebhookEvent.objects.get()
    assert reply.json == {"event_id": event.pk, "status": "accepted"}
    assert bytes(event.body) == body
    assert event.dedup_key == f"event:{json.loads(body)['event_id']}"  # the signed body's id, not the header's
    assert event.state == WebhookEvent.State.RECEIVED
    assert event.remote_addr == "127.0.0.1"
    assert event.headers["X-Market-Event-Id"] == "evt-1"
    assert "whsec" not in str(event.headers) and event.headers["X-Market-Signature"] == "••••••"
    assert queued == [event.pk]


def test_put_is_accepted_too(client, connection):
    body = market_event("ticket.created", "SM-000042", ticket=ticket())

    assert deliver(client, connection, body, method="put").status_code == 202


@pytest.mark.django_db(transaction=True)
def test_the_hot_path_makes_two_queries(client, connection):
    # Outside a test transaction, as in production: no savepoint around the insert.
    body = market_event("ticket.created", "SM-000042", ticket=ticket())
    headers = signed_headers(body, event_id="evt-q")

    with CaptureQueriesContext(db) as queries:
        reply = deliver(client, connection, body, headers)

    assert reply.status_code == 202
    assert len(queries) == 2, [query["sql"] for query in queries]


def test_a_duplicate_answers_200_with_the_first_event_and_changes_nothing(
    client, connection, queued, django_capture_on_commit_callbacks
):
    body = market_event("ticket.created", "SM-000042", ticket=ticket())
    with django_capture_on_commit_callbacks(execute=True):
        first = deliver(client, connection, body, signed_headers(body, event_id="evt-dup"))
        again = deliver(client, connection, body, signed_headers(body, event_id="evt-dup"))

    assert again.status_code == 200
    assert again.json == {"event_id": first.json["event_id"], "status": "duplicate"}
    assert WebhookEvent.objects.count() == 1
    assert queued == [first.json["event_id"]]


def _rejected(reply, status: int, code: str, words: str) -> None:
    assert reply.status_code == status
    assert reply.json["error"]["code"] == code
    assert words in reply.json["error"]["message"]
    assert WebhookEvent.objects.count() == 0


def test_unknown_token_is_404(client, connection):
    connection.webhook_token = "x" * 43  # not saved: the URL now points nowhere
    body = market_event("ticket.created", "SM-1")

    _rejected(deliver(client, connection, body), 404, "unknown_webhook", "no connection")


@pytest.mark.parametrize("disable", ["connection", "channel"])
def test_a_disabled_connection_or_channel_holds_what_arrives_and_answers_as_usual(client, connection, disable):
    target = connection if disable == "connection" else connection.channel
    target.enabled = False
    target.save()
    body = market_event("ticket.created", "SM-1")

    reply = deliver(client, connection, body)

    assert reply.status_code == 202  # not a 410, which channels take as final: the order would be lost
    event = WebhookEvent.objects.get(pk=reply.json["event_id"])
    assert event.state == WebhookEvent.State.HELD and bytes(event.body) == body
    forged = deliver(client, connection, body, headers={"Content-Type": "application/json"})
    assert forged.status_code == 401  # held, but still authenticated first


def test_oversize_body_is_413_by_content_length_and_by_what_was_read(client, connection, settings):
    settings.WEBHOOK_MAX_BODY_BYTES = 100
    body = market_event("ticket.created", "SM-1", ticket=ticket())

    _rejected(deliver(client, connection, body), 413, "payload_too_large", "over 100 bytes")
    rejection = WebhookRejection.objects.get()
    assert rejection.status_code == 413 and rejection.body_sample == ""


def test_oversize_body_without_a_usable_content_length_is_413(rf, connection, settings):
    from integrations.inbound.receiving import receive

    settings.WEBHOOK_MAX_BODY_BYTES = 100
    body = market_event("ticket.created", "SM-1", ticket=ticket())
    request = rf.post("/", data=body, content_type="application/json", headers=signed_headers(body))
    request.META["CONTENT_LENGTH"] = "not a number"
    request._stream.remaining = len(body)  # the server still streams the body

    reply = receive(request, connection.webhook_token)

    assert reply.status == 413


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", ""])
def test_wrong_content_type_is_415(client, connection, content_type):
    body = market_event("ticket.created", "SM-1")
    headers = {**signed_headers(body), "Content-Type": content_type}

    _rejected(deliver(client, connection, body, headers), 415, "unsupported_media_type", "application/json")


def test_json_with_a_charset_is_fine(client, connection):
    body = market_event("ticket.created", "SM-1", ticket=ticket())
    headers = {**signed_headers(body), "Content-Type": "application/json; charset=utf-8"}

    assert deliver(client, connection, body, headers).status_code == 202


def test_missing_signature_is_401(client, connection):
    body = market_event("ticket.created", "SM-1")
    headers = signed_headers(body)
    del headers["X-Market-Signature"]

    _rejected(deliver(client, connection, body, headers), 401, "webhook_rejected", "missing X-Market-Signature")


def test_wrong_signature_is_401_and_counted_with_a_redacted_sample(client, connection):
    body = market_event("ticket.created", "SM-1")

    reply = deliver(client, connection, body, signed_headers(body, secret="whsec_not_the_right_one"))

    _rejected(reply, 401, "webhook_rejected", "does not match")
    connection.refresh_from_db()
    assert connection.webhook_rejections == 1
    rejection = WebhookRejection.objects.get()
    assert rejection.connection == connection and rejection.status_code == 401
    assert rejection.body_sample == body.decode()
    assert rejection.headers["X-Market-Signature"] == "••••••"


def test_a_replayed_timestamp_is_401(client, connection):
    body = market_event("ticket.created", "SM-1")
    headers = signed_headers(body, at=timezone.now() - timedelta(minutes=10))

    _rejected(deliver(client, connection, body, headers), 401, "webhook_rejected", "tolerance")


def test_a_connection_without_usable_credentials_answers_503_so_the_channel_retries(client):
    broken = ConnectionFactory(credentials={"api_key": "k"})  # no webhook_secret
    body = market_event("ticket.created", "SM-1")

    reply = deliver(client, broken, body)

    assert reply.status_code == 503 and reply.json["error"]["code"] == "connection_misconfigured"


def test_other_methods_are_405_json(client, connection):
    response = client.get(webhook_url(connection))

    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_rejection_rows_are_capped_per_connection(client, connection, settings):
    settings.WEBHOOK_REJECTIONS_KEPT = 3
    body = market_event("ticket.created", "SM-1")
    for _ in range(5):
        deliver(client, connection, body, signed_headers(body, secret="wrong"))

    connection.refresh_from_db()
    assert connection.webhook_rejections == 5
    assert WebhookRejection.objects.filter(connection=connection).count() == 3


def test_invalid_json_that_is_authentic_is_stored_for_processing(client, connection):
    body = b'{"event": "ticket.created", oops'

    reply = deliver(client, connection, body)

    assert reply.status_code == 202
    assert bytes(WebhookEvent.objects.get().body) == body


def test_the_url_works_without_its_trailing_slash(client, connection):
    body = market_event("ticket.created", "SM-1", ticket=ticket())
    url = webhook_url(connection).rstrip("/")

    response = client.post(url, data=body, content_type="application/json", headers=signed_headers(body))

    assert response.status_code == 202


def test_a_replay_with_a_new_unsigned_event_id_header_is_still_a_duplicate(client, connection, queued):
    body = market_event("ticket.created", "SM-000042", ticket=ticket())
    deliver(client, connection, body, signed_headers(body, event_id="evt-1"))

    replay = deliver(client, connection, body, signed_headers(body, event_id="evt-forged"))

    assert replay.status_code == 200 and replay.json["status"] == "duplicate"
    assert WebhookEvent.objects.count() == 1
