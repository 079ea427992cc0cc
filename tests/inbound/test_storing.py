"""The hot path's insert stores exactly what the ORM's save() stores, and refuses a duplicate the same way."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.forms.models import model_to_dict

from integrations.inbound.storing import NewEvent, insert_event
from integrations.models import WebhookEvent

pytestmark = pytest.mark.django_db

HEADERS = {"Content-Type": "application/json", "X-Market-Signature": "v1=••••", "X-Ñ": "café"}
BODY = b'{"event":"ticket.created","bytes":"\x00\xff"}'


def new(connection, key: str) -> NewEvent:
    return NewEvent(
        connection_id=connection.pk, dedup_key=key, method="PUT", headers=HEADERS, body=BODY, remote_addr="2001:db8::7"
    )


def comparable(row: WebhookEvent) -> dict:
    values = model_to_dict(row, exclude=["id", "dedup_key", "correlation_id", "received_at"])
    values["body"] = bytes(row.body)
    return values


def test_the_fast_insert_stores_what_save_stores(connection):
    stored = insert_event(new(connection, "fast"))
    slow = WebhookEvent(connection=connection, dedup_key="slow", method="PUT", headers=HEADERS, body=BODY,
                        remote_addr="2001:db8::7")
    slow.save(force_insert=True)

    fast_row, slow_row = WebhookEvent.objects.get(pk=stored.pk), WebhookEvent.objects.get(pk=slow.pk)
    assert stored.pk != slow.pk
    assert comparable(fast_row) == comparable(slow_row)
    assert (fast_row.correlation_id, fast_row.received_at) == (stored.correlation_id, stored.received_at)
    assert len(stored.correlation_id) == 32 and stored.correlation_id != slow_row.correlation_id
    assert fast_row.state == WebhookEvent.State.RECEIVED and fast_row.attempts == 0


def test_a_duplicate_dedup_key_raises_django_integrity_error(connection):
    insert_event(new(connection, "same"))

    with pytest.raises(IntegrityError), transaction.atomic():
        insert_event(new(connection, "same"))

    assert WebhookEvent.objects.filter(dedup_key="same").count() == 1
