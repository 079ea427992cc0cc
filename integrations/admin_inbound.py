"""Support staff's view of what channels sent us: webhook events (with re-process and replay) and rejections.

Rows are evidence, so they are read-only; the two actions are the only way to
act on them, and each needs the change permission.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from .inbound.processing import RetryLater, process_webhook_event
from .inbound.queueing import enqueue_event
from .models import Connection, WebhookEvent, WebhookRejection

MAX_REPLAY = 50  # synchronous replays run in the admin request


def _pre(text: str) -> str:
    return format_html('<pre style="white-space: pre-wrap; max-width: 60rem">{}</pre>', text)


def pretty_body(body: bytes | memoryview | None) -> str:
    """UTF-8 with replacement; indented when it is JSON."""
    text = bytes(body or b"").decode("utf-8", errors="replace")
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False, sort_keys=True)
    except ValueError:
        return text


class ConnectionListFilter(admin.RelatedFieldListFilter):
    """The connection filter, with each connection's restaurant and channel read in the same query.

    Django's own filter lists ``str(connection)`` for every connection, which
    reads its restaurant and its channel: two queries per connection on every
    page of the list.
    """

    def field_choices(self, field, request, model_admin):
        queryset = Connection.objects.select_related("restaurant", "channel")
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            queryset = queryset.order_by(*ordering)
        return [(connection.pk, str(connection)) for connection in queryset]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "received_at",
        "connection",
        "state",
        "event_type",
        "channel_order_id",
        "order_link",
        "attempts",
    ]
    list_filter = ["state", "event_type", "connection__channel", ("connection", ConnectionListFilter)]
    search_fields = ["channel_order_id", "dedup_key", "correlation_id"]
    date_hierarchy = "received_at"
    list_select_related = ["connection__restaurant", "connection__channel", "order"]
    show_full_result_count = False
    actions = ["reprocess_events", "replay_events"]
    fields = [
        "connection",
        "state",
        "event_type",
        "channel_order_id",
        "order_link",
        "attempts",
        "received_at",
        "processed_at",
        "method",
        "remote_addr",
        "dedup_key",
        "correlation_id",
        "error",
        "traceback_pre",
        "pretty_headers",
        "pretty_body",
    ]
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[WebhookEvent]:
        # The list never needs the bodies; the change view loads its one row in full.
        queryset = super().get_queryset(request)
        if request.resolver_match and (request.resolver_match.url_name or "").endswith("_changelist"):
            queryset = queryset.defer("body", "headers", "traceback")
        return queryset

    def has_reprocess_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("integrations.change_webhookevent")

    @admin.display(description="Order")
    def order_link(self, obj: WebhookEvent) -> str:
        if obj.order_id is None:
            return "—"
        url = reverse("admin:orders_order_change", args=[obj.order_id])
        return format_html('<a href="{}">{}</a>', url, obj.order)

    @admin.display(description="Headers")
    def pretty_headers(self, obj: WebhookEvent) -> str:
        return _pre(json.dumps(obj.headers, indent=2, sort_keys=True, ensure_ascii=False))

    @admin.display(description="Body")
    def pretty_body(self, obj: WebhookEvent) -> str:
        return _pre(pretty_body(obj.body))

    @admin.display(description="Traceback")
    def traceback_pre(self, obj: WebhookEvent) -> str:
        return _pre(obj.traceback) if obj.traceback else "—"

    @admin.action(description="Re-process selected events (in the background)", permissions=["reprocess"])
    def reprocess_events(self, request: HttpRequest, queryset: QuerySet[WebhookEvent]) -> None:
        """After a code fix: back to received, then queued. Processed ones stay idempotent."""
        ids = list(queryset.values_list("pk", flat=True))
        with transaction.atomic():
            _reset(ids)
            for event_id in ids:
                transaction.on_commit(lambda event_id=event_id: enqueue_event(event_id))
        self.message_user(request, f"{len(ids)} event(s) queued for processing.", messages.SUCCESS)

    @admin.action(description="Replay selected events into processing now", permissions=["reprocess"])
    def replay_events(self, request: HttpRequest, queryset: QuerySet[WebhookEvent]) -> None:
        """Run processing in this request and say how each event ended."""
        ids = list(queryset.order_by("received_at", "id").values_list("pk", flat=True)[: MAX_REPLAY + 1])
        if len(ids) > MAX_REPLAY:
            self.message_user(request, f"Select at most {MAX_REPLAY} events to replay at once.", messages.ERROR)
            return
        for event_id in ids:
            _reset([event_id])
            try:
                outcome = process_webhook_event(event_id)
            except RetryLater as exc:
                self.message_user(
                    request, f"Event {event_id}: the channel failed, will retry ({exc}).", messages.WARNING
                )
                enqueue_event(event_id)
                continue
            level = messages.ERROR if outcome.state == WebhookEvent.State.FAILED else messages.SUCCESS
            detail = f": {outcome.detail}" if outcome.detail else ""
            self.message_user(request, f"Event {event_id}: {outcome.state}{detail}", level)


def _reset(ids: list[int]) -> None:
    WebhookEvent.objects.filter(pk__in=ids).update(
        state=WebhookEvent.State.RECEIVED, error="", traceback="", processed_at=None, attempts=0
    )


@admin.register(WebhookRejection)
class WebhookRejectionAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "connection", "status_code", "reason", "remote_addr"]
    list_filter = ["status_code", "connection__channel"]
    search_fields = ["reason"]
    date_hierarchy = "received_at"
    list_select_related = ["connection__restaurant", "connection__channel"]
    fields = ["received_at", "connection", "status_code", "reason", "remote_addr", "pretty_headers", "body_sample"]
    readonly_fields = fields

    @admin.display(description="Headers")
    def pretty_headers(self, obj: WebhookRejection) -> str:
        return _pre(json.dumps(obj.headers, indent=2, sort_keys=True, ensure_ascii=False))
