"""Support staff's view of orders: what arrived, what it contains, how its status moved."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import ForeignKey, QuerySet
from django.forms import BaseInlineFormSet, ModelChoiceField
from django.http import HttpRequest

from .channel_view import ChannelFactsMixin
from .models import CourierReport, Delivery, DriverLocation, Order, OrderLine, Payment, StatusChange

LAST_DRIVER_LOCATIONS = 20


class TestOrderFilter(admin.SimpleListFilter):
    """A validation run's test orders are hidden from the list unless asked for (their pages still open)."""

    title = "validation test orders"
    parameter_name = "test_orders"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("shown", "Shown too"), ("only", "Only test orders")]

    def choices(self, changelist: Any) -> list[dict[str, Any]]:
        choices = list(super().choices(changelist))
        choices[0]["display"] = "Hidden"  # no choice made: the default, test orders left out
        return choices

    def queryset(self, request: HttpRequest, queryset: QuerySet[Order]) -> QuerySet[Order]:
        if self.value() == "shown":
            return queryset
        if self.value() == "only":
            return queryset.filter(is_test=True)
        return queryset.filter(is_test=False)


class ReadOnlyAdminMixin:
    """History is written by services only: staff may look, never add, change or delete."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    fields = (
        "position", "parent", "sku", "name", "quantity", "unit_price", "vat_rate", "notes", "allergy_notes",
        "removed_names", "group", "channel_line_id",
    )
    readonly_fields = ("removed_names", "group", "channel_line_id")

    def formfield_for_foreignkey(self, db_field: ForeignKey, request: HttpRequest, **kwargs: Any) -> ModelChoiceField:
        # A parent can only be a product line of the same order, not any line in the database.
        if db_field.name == "parent":
            order_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
            kwargs["queryset"] = OrderLine.objects.filter(order_id=order_id, parent__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class PaymentInline(admin.TabularInline):
    model = Payment
    extra = 0
    readonly_fields = ("channel_method", "cash_to_collect", "cash_tendered")


class DeliveryInline(admin.StackedInline):
    model = Delivery
    extra = 0
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    # What the channel said of the courier: written by orders.couriers, read here.
    readonly_fields = (
        "stage", "phone_code", "vehicle", "position_lat", "position_lng", "position_at", "last_update_at",
    )


class StatusChangeInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = StatusChange
    extra = 0
    fields = ("recorded_at", "occurred_at", "source", "from_status", "to_status", "channel_status", "applied", "reason")
    readonly_fields = fields
    ordering = ("recorded_at", "id")


class LastDriverLocationsFormSet(BaseInlineFormSet):
    """Only the newest positions: a courier reports every few seconds."""

    def get_queryset(self) -> QuerySet[DriverLocation]:
        return super().get_queryset().order_by("-recorded_at", "-id")[:LAST_DRIVER_LOCATIONS]


class DriverLocationInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = DriverLocation
    formset = LastDriverLocationsFormSet
    extra = 0
    fields = ("recorded_at", "lat", "lng", "accuracy_m")
    readonly_fields = fields
    verbose_name_plural = f"last {LAST_DRIVER_LOCATIONS} driver locations"


@admin.register(Order)
class OrderAdmin(ChannelFactsMixin, admin.ModelAdmin):
    list_display = (
        "display_code",
        "restaurant",
        "connection",
        "service_type",
        "status",
        "channel_status",
        "total_amount",
        "placed_at",
        "needs_attention",
    )
    list_filter = ("status", "service_type", "restaurant", "needs_attention", TestOrderFilter)
    search_fields = ("channel_order_id", "display_code", "customer_name")
    date_hierarchy = "placed_at"
    list_select_related = ("restaurant", "connection__restaurant", "connection__channel")
    raw_id_fields = ("restaurant", "connection")
    # Status moves go through orders.status.apply_status, so the history stays true.
    readonly_fields = (
        "status", "channel_status", "channel_status_name", "created_at", "updated_at",
        *ChannelFactsMixin.channel_readonly_fields,
    )
    inlines = (OrderLineInline, PaymentInline, DeliveryInline, StatusChangeInline, DriverLocationInline)
    fieldsets = (
        (None, {"fields": ("restaurant", "connection", "service_type", "channel_order_id", "display_code")}),
        (
            "Status",
            {"fields": ("status", "channel_status", "channel_status_name", "needs_attention", "attention_reason")},
        ),
        ("When", {"fields": ("placed_at", "scheduled_for", "reservation_at", "diners", "last_channel_update_at")}),
        ("Customer", {"fields": ("customer_name", "customer_phone", "customer_email", "notes")}),
        (
            "Delivery address",
            {
                "fields": (
                    "address_street",
                    "address_city",
                    "address_postcode",
                    "address_lat",
                    "address_lng",
                    "address_instructions",
                )
            },
        ),
        (
            "Amounts",
            {
                "fields": (
                    "currency",
                    "subtotal_amount",
                    "vat_amount",
                    "total_amount",
                    "delivery_fee",
                    "tip_amount",
                    "discount_amount",
                )
            },
        ),
        *ChannelFactsMixin.channel_fieldsets,
        ("Record", {"fields": ("created_at", "updated_at")}),
    )


@admin.register(StatusChange)
class StatusChangeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("order", "from_status", "to_status", "applied", "source", "reason", "occurred_at", "recorded_at")
    list_filter = ("applied", "source", "to_status")
    search_fields = ("order__channel_order_id", "order__display_code", "reason")
    list_select_related = ("order",)
    date_hierarchy = "recorded_at"


@admin.register(DriverLocation)
class DriverLocationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("order", "lat", "lng", "accuracy_m", "recorded_at")
    search_fields = ("order__channel_order_id", "order__display_code")
    list_select_related = ("order",)
    date_hierarchy = "recorded_at"


@admin.register(CourierReport)
class CourierReportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Every courier update a channel sent, applied or not (older than what the delivery knew)."""

    list_display = ("delivery", "stage", "channel_stage", "name", "applied", "occurred_at", "recorded_at")
    list_filter = ("stage", "applied")
    search_fields = ("delivery__order__channel_order_id", "delivery__order__display_code", "name")
    list_select_related = ("delivery__order",)
    date_hierarchy = "recorded_at"
