"""NUL, lone surrogates and chunked bodies at the webhook endpoint: always stored, never a 5xx."""

from __future__ import annotations

import io
import json

import pytest

from integrations.models import WebhookEvent
from tests.channels.sandbox_market_samples import event

from .conftest import deliver, signed_headers, webhook_url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("event_id", ["evt-\u0000-1", "evt-\ud800-2", "\u0000", "evt-\udfff\u0000-3"],
                         ids=["nul", "lone surrogate", "only nul", "both"])
def test_a_signed_webhook_whose_event_id_holds_unstorable_text_is_stored_and_deduplicated(
    client, connection, event_id
):
    body = json.dumps({**json.loads(event("ticket.created", "x", "SM-1")), "event_id": event_id}).encode()

    first = deliver(client, connection, body)
    again = deliver(client, connection, body)

    assert first.status_code == 202, first.json
    assert again.status_code == 200 and again.json["status"] == "duplicate"
    [stored] = WebhookEvent.objects.all()
    assert bytes(stored.body) == body  # the body byte for byte: nothing the channel sent is lost
    assert "\x00" not in stored.dedup_key


@pytest.mark.parametrize("token", ["%00", "abc%00def", "%ED%A0%80", "a" * 65])
def test_a_webhook_url_with_unstorable_bytes_is_not_found(client, token):
    response = client.post(f"/webhooks/{token}/", data=b"{}", content_type="application/json")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "unknown_webhook"


def _chunked(client, connection, body: bytes, headers: dict):
    """What gunicorn hands Django for a chunked request: the de-chunked stream and no CONTENT_LENGTH."""
    meta = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()
            if name != "Content-Type"}
    return client.request(
        REQUEST_METHOD="POST", PATH_INFO=webhook_url(connection), CONTENT_TYPE=headers["Content-Type"],
        HTTP_TRANSFER_ENCODING="chunked", **{"wsgi.input": io.BytesIO(body)}, **meta,
    )


def test_a_chunked_body_is_read_whole_and_verified(client, connection):
    body = event("ticket.created", "evt-chunked", "SM-2")
    response = _chunked(client, connection, body, signed_headers(body))
    assert response.status_code == 202, response.content
    assert bytes(WebhookEvent.objects.get().body) == body


def test_a_chunked_body_over_the_limit_is_refused_as_too_large(client, connection, settings):
    settings.WEBHOOK_MAX_BODY_BYTES = 100
    body = event("ticket.created", "evt-big", "SM-3", notes="x" * 500)
    response = _chunked(client, connection, body, signed_headers(body))
    assert response.status_code == 413
    assert not WebhookEvent.objects.exists()


def test_an_order_whose_free_text_holds_nul_or_surrogates_becomes_an_order(client, connection):
    from tests.channels.sandbox_market_samples import ticket

    from .conftest import market_event, process

    dirty = ticket(
        "SM-0\u00000042",
        comment="Sin cebolla\u0000, gracias \ud83d",
        customer={"display_name": "Ana\u0000 G.", "phone": "+34600000000"},
    )
    reply = deliver(client, connection, market_event("ticket.created", "SM-0\u00000042", ticket=dirty))
    assert reply.status_code == 202, reply.json

    stored = process(reply.json["event_id"])

    assert stored.state == WebhookEvent.State.PROCESSED, stored.error
    order = stored.order
    assert order.notes == "Sin cebolla\ufffd, gracias \ufffd"  # each unstorable character shown as �, not dropped
    assert order.customer_name == "Ana\ufffd G."
    assert order.channel_order_id == "SM-0\ufffd0042"
    assert "\x00" in bytes(stored.body).decode("unicode_escape")  # the original stays in the stored body
