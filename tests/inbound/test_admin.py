"""Staff browse webhook events and rejections, and re-process or replay events from the changelist."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from integrations.channels.sandbox_market import webhooks as market_webhooks
from integrations.enqueue import PROCESS_WEBHOOK_EVENT
from integrations.models import WebhookEvent, WebhookRejection
from orders.models import Order, StatusChange
from tests.channels.sandbox_market_samples import ticket

from .conftest import deliver, market_event, process, signed_headers

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:integrations_webhookevent_changelist"


def stored(client, connection, body: bytes) -> WebhookEvent:
    reply = deliver(client, connection, body)
    assert reply.status_code == 202
    return WebhookEvent.objects.get(pk=reply.json["event_id"])


def schema_breaking_order() -> bytes:
    broken = ticket()
    broken["basket"][0]["qty"] = 0
    return market_event("ticket.created", "SM-000042", ticket=broken)


def fix_the_parser(monkeypatch) -> None:
    """The "code fix" shipped after the event failed: the parser now reads a zero quantity as one."""
    original = market_webhooks.parse

    def parse(body: bytes):
        data = json.loads(body)
        for line in data.get("ticket", {}).get("basket", []):
            line["qty"] = max(1, line["qty"])
        return original(json.dumps(data).encode())

    monkeypatch.setattr(market_webhooks, "parse", parse)


def run_action(admin_client, action: str, events: list[WebhookEvent]):
    return admin_client.post(
        reverse(CHANGELIST), {"action": action, "_selected_action": [event.pk for event in events]}, follow=True
    )


@pytest.mark.parametrize(
    "query", ["", "?state__exact=failed", "?event_type__exact=new_order", "?q=SM-000042", "?received_at__year=2026"]
)
def test_the_changelist_renders_with_its_filters_and_search(admin_client, client, connection, query):
    process(stored(client, connection, market_event("ticket.created", "SM-000042", ticket=ticket())).pk)

    response = admin_client.get(reverse(CHANGELIST) + query)

    assert response.status_code == 200


def test_both_actions_are_offered_in_the_changelist(admin_client, client, connection):
    stored(client, connection, market_event("ticket.created", "SM-1"))

    response = admin_client.get(reverse(CHANGELIST))

    choices = dict(response.context["action_form"].fields["action"].choices)
    assert "reprocess_events" in choices and "replay_events" in choices


def test_events_cannot_be_added_or_edited(admin_client, client, connection):
    event = stored(client, connection, market_event("ticket.created", "SM-1"))

    assert admin_client.get(reverse("admin:integrations_webhookevent_add")).status_code == 403
    page = admin_client.get(reverse("admin:integrations_webhookevent_change", args=[event.pk]))
    assert page.status_code == 200 and b'name="_save"' not in page.content


def test_the_change_view_shows_the_body_pretty_printed_and_the_headers(admin_client, client, connection):
    event = stored(client, connection, market_event("ticket.created", "SM-000042", ticket=ticket()))

    page = admin_client.get(reverse("admin:integrations_webhookevent_change", args=[event.pk])).content.decode()

    assert '&quot;ticket_id&quot;: &quot;SM-000042&quot;' in page  # indented JSON, escaped
    assert "X-Market-Timestamp" in page


def test_a_body_that_is_not_utf8_still_renders(admin_client, connection):
    event = WebhookEvent.objects.create(connection=connection, dedup_key="raw", body=b"\xff\xfe not json")

    page = admin_client.get(reverse("admin:integrations_webhookevent_change", args=[event.pk]))

    assert page.status_code == 200 and "\ufffd" in page.content.decode()


def test_reprocess_after_a_fix_queues_the_failed_event_and_it_then_processes(
    admin_client, client, connection, published, monkeypatch, django_capture_on_commit_callbacks
):
    event = stored(client, connection, schema_breaking_order())
    assert process(event.pk).state == WebhookEvent.State.FAILED
    fix_the_parser(monkeypatch)

    with django_capture_on_commit_callbacks(execute=True):
        response = run_action(admin_client, "reprocess_events", [event])

    assert "1 event(s) queued" in response.content.decode()
    assert [(sent.task, sent.args) for sent in published] == [(PROCESS_WEBHOOK_EVENT, (event.pk,))]
    event.refresh_from_db()
    assert (event.state, event.error) == (WebhookEvent.State.RECEIVED, "")
    assert process(event.pk).state == WebhookEvent.State.PROCESSED
    assert Order.objects.get().lines.order_by("position").first().quantity == 1


def test_replay_runs_processing_now_and_reports_each_outcome(admin_client, client, connection):
    good = stored(client, connection, market_event("ticket.created", "SM-000042", ticket=ticket()))
    bad = stored(client, connection, schema_breaking_order())

    response = run_action(admin_client, "replay_events", [good, bad])

    text = response.content.decode()
    assert f"Event {good.pk}: processed" in text
    assert f"Event {bad.pk}: failed" in text and "greater than or equal to 1" in text
    assert Order.objects.count() == 1


def test_replaying_a_processed_event_changes_nothing(admin_client, client, connection):
    created = stored(client, connection, market_event("ticket.created", "SM-000042", ticket=ticket()))
    moved = stored(client, connection, market_event("ticket.state_changed", "SM-000042", state="READY"))
    process(created.pk)
    process(moved.pk)
    history = list(StatusChange.objects.values_list("pk", flat=True))

    response = run_action(admin_client, "replay_events", [created, moved])

    assert f"Event {moved.pk}: processed" in response.content.decode()
    assert Order.objects.count() == 1
    assert list(StatusChange.objects.values_list("pk", flat=True)) == history


def test_actions_need_the_change_permission(client, connection, django_user_model):
    from django.contrib.auth.models import Permission

    viewer = django_user_model.objects.create_user("viewer", password="pw", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_webhookevent"))
    stored(client, connection, market_event("ticket.created", "SM-1"))
    client.force_login(viewer)

    response = client.get(reverse(CHANGELIST))

    assert response.status_code == 200
    assert response.context["action_form"] is None or "replay_events" not in dict(
        response.context["action_form"].fields["action"].choices
    )


def test_rejections_are_listed_read_only(admin_client, client, connection):
    body = market_event("ticket.created", "SM-1")
    deliver(client, connection, body, signed_headers(body, secret="wrong"))
    rejection = WebhookRejection.objects.get()

    assert admin_client.get(reverse("admin:integrations_webhookrejection_changelist")).status_code == 200
    page = admin_client.get(reverse("admin:integrations_webhookrejection_change", args=[rejection.pk]))
    assert page.status_code == 200 and b"does not match" in page.content
    assert admin_client.get(reverse("admin:integrations_webhookrejection_add")).status_code == 403
