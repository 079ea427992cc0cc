"""Staff create and revoke POS API keys here. A new key is shown once, on the page that answers its creation.

The key is never put in a message (Django's messages travel in a cookie), a session or a log: the answer to
the "add" form renders it, and only a hash is stored.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from .keys import assign_new_key, revoke_keys
from .models import ApiKey


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "restaurant_names", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix", "restaurants__name"]
    filter_horizontal = ["restaurants"]
    fields = ["name", "restaurants", "prefix", "created_at", "created_by", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "created_at", "created_by", "last_used_at", "revoked_at"]
    actions = ["revoke_keys"]

    @admin.display(description="Restaurants")
    def restaurant_names(self, obj: ApiKey) -> str:
        return ", ".join(restaurant.name for restaurant in obj.restaurants.all())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("restaurants")

    def save_model(self, request: HttpRequest, obj: ApiKey, form, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        obj.created_by = request.user
        obj._key_in_clear = assign_new_key(obj)  # lives as long as this request, for response_add
        super().save_model(request, obj, form, change)

    def response_add(self, request: HttpRequest, obj: ApiKey, post_url_continue=None) -> HttpResponse:
        key = getattr(obj, "_key_in_clear", None)
        if key is None:
            return super().response_add(request, obj, post_url_continue)
        context = {**self.admin_site.each_context(request), "opts": self.opts, "api_key": obj, "key": key}
        response = TemplateResponse(request, "admin/api/apikey/key_created.html", context)
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description="Revoke selected keys", permissions=["change"])
    def revoke_keys(self, request: HttpRequest, queryset) -> None:
        count = revoke_keys(queryset)
        self.message_user(request, f"{count} key(s) revoked; they stop working at once.", messages.SUCCESS)
