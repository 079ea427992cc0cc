"""Support staff's view of what channels sent us: webhook events (with re-process and replay) and rejections.

Rows are evidence, so they are read-only; the actions are the only way to act on
them, each needs the change permission, and each is one call to
``integrations.inbound.event_actions`` (where the rules of when an event may be
given another run live).
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from ..inbound import event_actions
from ..models import Connection, WebhookEvent, WebhookRejection
from .display import pre


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
    actions = ["reprocess_events", "replay_events", "discard_held_events"]
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
        return pre(json.dumps(obj.headers, indent=2, sort_keys=True, ensure_ascii=False))

    @admin.display(description="Body")
    def pretty_body(self, obj: WebhookEvent) -> str:
        return pre(pretty_body(obj.body))

    @admin.display(description="Traceback")
    def traceback_pre(self, obj: WebhookEvent) -> str:
        return pre(obj.traceback) if obj.traceback else "—"

    @admin.action(description="Re-process selected events (in the background)", permissions=["reprocess"])
    def reprocess_events(self, request: HttpRequest, queryset: QuerySet[WebhookEvent]) -> None:
        """After a code fix: back to received, then queued (processing is idempotent, so processed ones may go too)."""
        done = event_actions.reprocess_events(queryset.values_list("pk", flat=True))
        self.message_user(request, f"{done.count} event(s) queued for processing.", messages.SUCCESS)
        self._tell_refused(request, done)

    @admin.action(description="Discard selected held events (never process them)", permissions=["reprocess"])
    def discard_held_events(self, request: HttpRequest, queryset: QuerySet[WebhookEvent]) -> None:
        """What a disabled connection received and staff decide is not to be processed: ignored, body kept."""
        done = event_actions.discard_held(queryset.values_list("pk", flat=True))
        self.message_user(request, f"{done.count} held event(s) discarded.", messages.SUCCESS)
        self._tell_refused(request, done)

    @admin.action(description="Replay selected events into processing now", permissions=["reprocess"])
    def replay_events(self, request: HttpRequest, queryset: QuerySet[WebhookEvent]) -> None:
        """Run processing in this request and say how each event ended."""
        try:
            # One over the limit is enough for the service to refuse; a "select all" never loads every id.
            replay = event_actions.replay_events(queryset.values_list("pk", flat=True)[: event_actions.MAX_REPLAY + 1])
        except event_actions.TooManyToReplay as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        for outcome in replay.outcomes:
            level = {WebhookEvent.State.FAILED: messages.ERROR, event_actions.RETRYING: messages.WARNING}.get(
                outcome.state, messages.SUCCESS
            )
            self.message_user(request, outcome.message, level)
        for refusal in replay.refused:
            self.message_user(request, f"Event {refusal.event_id} not replayed: {refusal.reason}.", messages.WARNING)

    def _tell_refused(self, request: HttpRequest, done: event_actions.EventsReset) -> None:
        for refusal in done.refused:
            self.message_user(request, f"Event {refusal.event_id} left as it was: {refusal.reason}.", messages.WARNING)


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
        return pre(json.dumps(obj.headers, indent=2, sort_keys=True, ensure_ascii=False))
