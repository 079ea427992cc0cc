"""Support staff's view of restaurants: who they are, when they sell, and why they are closed.

What a channel mirrors (pauses, weekly hours, calendar exceptions, service availability) must change
through the outbound services, which the domain may not import: ``integrations.admin.mirrored``
replaces ``RestaurantAdmin``, ``PauseAdmin`` and ``CalendarExceptionAdmin`` with subclasses whose
saves, deletes and actions go through them. These plain classes only say what the pages show.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from restaurants.models import (
    CalendarException,
    Pause,
    Restaurant,
    RestaurantMember,
    ScheduleRange,
    ServiceAvailability,
)
from restaurants.opening import opening_prefetches, opening_state


class ServiceAvailabilityInline(admin.TabularInline):
    model = ServiceAvailability
    extra = 0


class ScheduleRangeInline(admin.TabularInline):
    model = ScheduleRange
    extra = 0


class CalendarExceptionInline(admin.TabularInline):
    model = CalendarException
    extra = 0
    fields = ["kind", "service_type", "starts_at", "expires_at", "reason"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[CalendarException]:
        """Only current and upcoming exceptions: past holidays live in the CalendarException admin."""
        return super().get_queryset(request).filter(expires_at__gt=timezone.now())


class PauseInline(admin.TabularInline):
    """Pauses are history: staff add one here, but who/when/resumed are recorded, not typed."""

    model = Pause
    extra = 0
    fields = ["service_type", "until", "reason", "created_at", "created_by", "resumed_at", "resumed_by"]
    readonly_fields = ["created_at", "created_by", "resumed_at", "resumed_by"]
    can_delete = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Pause]:
        """Only pauses not yet resumed: the full history is in the Pause admin."""
        return super().get_queryset(request).filter(resumed_at__isnull=True).select_related("created_by")


class RestaurantMemberInline(admin.TabularInline):
    model = RestaurantMember
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Restaurant)
class RestaurantAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "timezone", "currency", "services", "open_now"]
    list_filter = ["timezone", "currency", "service_availabilities__service_type"]
    search_fields = ["name", "slug", "address", "phone"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created_at", "open_now"]
    inlines = [
        ServiceAvailabilityInline,
        ScheduleRangeInline,
        CalendarExceptionInline,
        PauseInline,
        RestaurantMemberInline,
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Restaurant]:
        """Prefetch what opening_state reads, so the "open now" column costs no query per row."""
        return super().get_queryset(request).prefetch_related(*opening_prefetches(timezone.now()))

    @admin.display(description="Services")
    def services(self, obj: Restaurant) -> str:
        return (
            ", ".join(
                a.service_type + ("" if a.active else " (off)")
                for a in sorted(obj.service_availabilities.all(), key=lambda a: a.service_type)
            )
            or "—"
        )

    @admin.display(description="Open now")
    def open_now(self, obj: Restaurant) -> str:
        if obj.pk is None:
            return "—"
        state = opening_state(obj, timezone.now())
        return state.reason if state.is_open else f"{state.status.upper()} – {state.reason}"


class ActiveFilter(admin.SimpleListFilter):
    """Active now vs. finished (resumed or expired), the question support actually asks."""

    title = "state"
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("active", "Active now"), ("finished", "Finished")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Pause]) -> QuerySet[Pause]:
        active = Pause.objects.active(timezone.now()).values("pk")
        if self.value() == "active":
            return queryset.filter(pk__in=active)
        if self.value() == "finished":
            return queryset.exclude(pk__in=active)
        return queryset


@admin.register(Pause)
class PauseAdmin(admin.ModelAdmin):
    list_display = ["restaurant", "service_type", "until", "reason", "created_at", "created_by", "resumed_at", "active"]
    list_filter = [ActiveFilter, "service_type", "restaurant"]
    search_fields = ["restaurant__name", "reason"]
    list_select_related = ["restaurant", "created_by"]
    autocomplete_fields = ["restaurant"]
    readonly_fields = ["created_at", "created_by", "resumed_at", "resumed_by"]
    date_hierarchy = "created_at"

    @admin.display(boolean=True, description="Active")
    def active(self, obj: Pause) -> bool:
        return obj.is_active()

    def has_delete_permission(self, request: HttpRequest, obj: Pause | None = None) -> bool:
        """History is kept: a wrong pause is resumed, not deleted."""
        return False


@admin.register(CalendarException)
class CalendarExceptionAdmin(admin.ModelAdmin):
    list_display = ["restaurant", "kind", "service_type", "starts_at", "expires_at", "reason"]
    list_filter = ["kind", "service_type", "restaurant"]
    search_fields = ["restaurant__name", "reason"]
    list_select_related = ["restaurant"]
    autocomplete_fields = ["restaurant"]
    date_hierarchy = "starts_at"
