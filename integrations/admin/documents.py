"""Support staff's view of the files the platform hosts for channels (Glovo's menu file): read-only.

Whether the channel fetched it (``downloads``, ``last downloaded``) answers "did Glovo get our menu?"; the
content itself and the token (the URL's secret) are not shown.
"""

from __future__ import annotations

from django.contrib import admin

from ..models import HostedDocument


@admin.register(HostedDocument)
class HostedDocumentAdmin(admin.ModelAdmin):
    list_display = ["created_at", "connection", "name", "content_type", "expires_at", "downloads",
                    "last_downloaded_at"]
    list_filter = ["content_type", "connection__channel"]
    search_fields = ["name"]
    list_select_related = ["connection__restaurant", "connection__channel"]
    date_hierarchy = "created_at"
    fields = ["created_at", "connection", "name", "content_type", "size", "needs_bearer", "expires_at",
              "downloads", "last_downloaded_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.resolver_match and (request.resolver_match.url_name or "").endswith("_changelist"):
            queryset = queryset.defer("content")  # the list shows no content
        return queryset

    @admin.display(description="Size (bytes)")
    def size(self, document: HostedDocument) -> int:
        return len(document.content or b"")

    @admin.display(description="Download needs a Bearer token", boolean=True)
    def needs_bearer(self, document: HostedDocument) -> bool:
        return bool(document.bearer_token_hash)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
