"""Each channel's webhooks are answered as its documentation says (Uber: 200, empty body); rejections keep our JSON."""

from __future__ import annotations

import json

import pytest
import requests
from django.db import connection as db
from django.test.utils import CaptureQueriesContext

from canonical import InboundEvent
from integrations.channels.base import Acknowledgement, ChannelModule
from integrations.inbound.receiving import Taken, acknowledge
from integrations.models import WebhookEvent, WebhookRejection
from tests.channels.uber_eats import samples as uber_samples

from .conftest import uber_webhook, webhook_url

pytestmark = pytest.mark.django_db


def post(client, connection, body: bytes, headers: dict[str, str]):
    headers = dict(headers)
    content_type = headers.pop("Content-Type", "application/json")
    return client.post(webhook_url(connection), data=body, content_type=content_type, headers=headers)


@pytest.mark.django_db(transaction=True)
def test_an_uber_webhook_is_answered_200_with_an_empty_body_over_http(live_server, uber_connection, queued):
    body = uber_webhook("f9f363d1-e1c2-4595-b477-c649845bc953")

    reply = requests.post(f"{live_server.url}{webhook_url(uber_connection)}", data=body,
                          headers=uber_samples.sign(body), timeout=10)

    assert (reply.status_code, reply.content) == (200, b"")
    assert "Content-Type" not in reply.headers
    event = WebhookEvent.objects.get()
    assert bytes(event.body) == body and event.state == WebhookEvent.State.RECEIVED
    assert queued == [event.pk]


@pytest.mark.django_db(transaction=True)
def test_the_declared_answer_costs_no_query_a_failed_events_redelivery_one_more(client, uber_connection, queued):
    # Outside a test transaction, as in production: no savepoint around the insert. The connection is cached
    # after the first request, so each later request is the insert (and, on a duplicate, what follows it).
    body = uber_webhook("f9f363d1-e1c2-4595-b477-c649845bc953")
    with CaptureQueriesContext(db) as new:
        assert post(client, uber_connection, body, uber_samples.sign(body)).status_code == 200
    with CaptureQueriesContext(db) as duplicate:
        assert post(client, uber_connection, body, uber_samples.sign(body)).status_code == 200
    WebhookEvent.objects.update(state=WebhookEvent.State.FAILED)
    with CaptureQueriesContext(db) as failed:
        assert post(client, uber_connection, body, uber_samples.sign(body)).status_code == 200

    assert len(new) == 2, [query["sql"] for query in new]  # the connection, the insert
    assert len(duplicate) == 2, [query["sql"] for query in duplicate]  # the insert, the held row's id and state
    assert len(failed) == 3, [query["sql"] for query in failed]  # ... and taking it again
    assert WebhookEvent.objects.get().state == WebhookEvent.State.RECEIVED


def test_a_redelivered_uber_webhook_gets_the_same_200_empty_and_changes_nothing(client, uber_connection, queued):
    body = uber_webhook("f9f363d1-e1c2-4595-b477-c649845bc953", event_id="evt-uber-1")

    first = post(client, uber_connection, body, uber_samples.sign(body))
    again = post(client, uber_connection, body, uber_samples.sign(body))

    assert [(reply.status_code, reply.content) for reply in (first, again)] == [(200, b""), (200, b"")]
    assert "Content-Type" not in again.headers
    assert WebhookEvent.objects.count() == 1


def test_a_refused_uber_webhook_keeps_our_json_reason(client, uber_connection):
    body = uber_webhook("f9f363d1-e1c2-4595-b477-c649845bc953")

    reply = post(client, uber_connection, body, uber_samples.sign(body, secret="not-the-client-secret"))

    assert reply.status_code == 401 and reply["Content-Type"] == "application/json"
    assert json.loads(reply.content)["error"]["code"] == "webhook_rejected"
    assert WebhookEvent.objects.count() == 0 and WebhookRejection.objects.count() == 1


def test_a_module_that_declares_nothing_answers_with_the_platforms_json(client, connection):
    from tests.channels.sandbox_market_samples import ticket

    from .conftest import deliver, market_event

    body = market_event("ticket.created", "SM-1", ticket=ticket())

    first, again = deliver(client, connection, body), deliver(client, connection, body)

    event_id = WebhookEvent.objects.get().pk
    assert (first.status_code, first.json) == (202, {"event_id": event_id, "status": "accepted"})
    assert (again.status_code, again.json) == (200, {"event_id": event_id, "status": "duplicate"})


class PlainAnswer(ChannelModule):
    slug = "plain"
    name = "Plain"
    acknowledgement = Acknowledgement(status=204, same_for_duplicates=False)

    def parse_webhook(self, connection, body, headers) -> list[InboundEvent]:
        return []


def test_a_module_may_leave_duplicates_to_the_platforms_json_answer():
    module = PlainAnswer()

    new, duplicate = acknowledge(module, Taken(7, new=True)), acknowledge(module, Taken(7))

    assert (new.status, new.acknowledgement) == (204, module.acknowledgement)
    assert (duplicate.status, duplicate.body, duplicate.acknowledgement) == (
        200, {"event_id": 7, "status": "duplicate"}, None)


@pytest.mark.parametrize("status", [302, 400, 500])
def test_an_acknowledgement_is_a_2xx_or_the_channel_would_retry_for_ever(status):
    with pytest.raises(ValueError, match="2xx"):
        Acknowledgement(status=status)


def test_an_acknowledgement_with_a_body_names_its_content_type():
    with pytest.raises(ValueError, match="content type"):
        Acknowledgement(status=200, body=b"ok")

    assert Acknowledgement(status=200, body=b"ok", content_type="text/plain").content_type == "text/plain"


def test_the_coverage_document_says_how_each_channels_webhooks_are_answered():
    from integrations.channels.sandbox_market.module import Module as SandboxMarket
    from integrations.channels.uber_eats.module import Module as UberEats
    from integrations.coverage import build_coverage, render_markdown

    uber, market = (render_markdown(build_coverage(module())).splitlines() for module in (UberEats, SandboxMarket))

    assert "- Webhook acknowledgement: HTTP 200 with an empty body; a redelivery of an event we hold gets the same" in (
        uber)
    assert ('- Webhook acknowledgement: the platform\'s JSON: HTTP 202 {"event_id", "status": "accepted"}; '
            'a redelivery of an event we hold gets HTTP 200 "duplicate"') in market
