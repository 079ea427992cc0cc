"""Support staff's view of every call we made to a channel: request and response, read-only."""

from __future__ import annotations

import json

from django.contrib import admin

from ..models import ChannelCall, ChannelToken
from .display import pre, pretty_json


@admin.register(ChannelCall)
class ChannelCallAdmin(admin.ModelAdmin):
    list_display = ["created_at", "connection", "operation", "method", "short_url", "status_code", "outcome",
                    "duration_ms"]
    list_filter = ["outcome", "operation", "method", "connection__channel"]
    search_fields = ["url", "correlation_id", "operation"]
    list_select_related = ["connection__restaurant", "connection__channel"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    fields = [
        "created_at", "connection", "operation", "correlation_id", "method", "url", "status_code", "outcome",
        "duration_ms", "error", "pretty_request_headers", "request_body_pretty", "pretty_response_headers",
        "response_body_pretty",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        # The list shows no bodies or headers (up to CHANNEL_CALL_BODY_CAP characters each, per row).
        queryset = super().get_queryset(request)
        if request.resolver_match and (request.resolver_match.url_name or "").endswith("_changelist"):
            queryset = queryset.defer("request_headers", "request_body", "response_headers", "response_body")
        return queryset

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="URL")
    def short_url(self, obj: ChannelCall) -> str:
        return obj.url if len(obj.url) <= 80 else obj.url[:77] + "…"

    @admin.display(description="Request headers")
    def pretty_request_headers(self, obj: ChannelCall) -> str:
        return pre(json.dumps(obj.request_headers, indent=2, sort_keys=True))

    @admin.display(description="Response headers")
    def pretty_response_headers(self, obj: ChannelCall) -> str:
        return pre(json.dumps(obj.response_headers, indent=2, sort_keys=True))

    @admin.display(description="Request body")
    def request_body_pretty(self, obj: ChannelCall) -> str:
        return pre(pretty_json(obj.request_body))

    @admin.display(description="Response body")
    def response_body_pretty(self, obj: ChannelCall) -> str:
        return pre(pretty_json(obj.response_body))


@admin.register(ChannelToken)
class ChannelTokenAdmin(admin.ModelAdmin):
    """The channel tokens workers share: when each expires. Never the token; deleting one makes the next call
    fetch a new token (for a channel that rotates its refresh token, Wolt, the venue must then connect again)."""

    list_display = ["key_prefix", "expires_at", "updated_at"]
    fields = ["key_prefix", "expires_at", "updated_at"]
    readonly_fields = fields
    ordering = ["expires_at"]

    @admin.display(description="Token")
    def key_prefix(self, token: ChannelToken) -> str:
        return f"{token.key[:12]}… (encrypted)"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
