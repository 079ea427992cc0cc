"""Staff create and revoke POS API keys here. A new key is shown once, in the confirmation message."""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils import timezone

from .keys import assign_new_key
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
        key = assign_new_key(obj)
        super().save_model(request, obj, form, change)
        messages.warning(
            request,
            f"The key for “{obj.name}” is {key} — copy it now: it is stored hashed and will not be shown again.",
        )

    @admin.action(description="Revoke selected keys", permissions=["change"])
    def revoke_keys(self, request: HttpRequest, queryset) -> None:
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(request, f"{count} key(s) revoked; they stop working at once.", messages.SUCCESS)
