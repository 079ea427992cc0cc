"""Support staff's view of orders: each one a read-only ticket of what arrived, what it contains, how it moved."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .admin_display import NAME_LIMIT, local_time, time_cell, truncated
from .channel_view import amount
from .models import CourierReport, DriverLocation, Order, StatusChange
from .ticket import LAST_DRIVER_LOCATIONS, Ticket, build_ticket, load_order

__all__ = ["LAST_DRIVER_LOCATIONS", "OrderAdmin"]


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


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    """An order is a ticket: its facts read-only, nothing here edits what a channel mirrors.

    Orders come from channels (or the POS); staff move them with the ticket's buttons, which the
    integration layer's admin adds (``integrations.admin.order_ticket``) because only it may call
    the services that tell the channel. This page itself has no form to save: a POST is refused.
    """

    # What support looks for first (which order, where it is, how much, when) leads; names, cut, come last.
    list_display = (
        "code", "status_both_sides", "total", "placed", "restaurant_name", "channel_name", "needs_attention",
    )
    list_filter = ("status", "service_type", "restaurant", "needs_attention", TestOrderFilter)
    search_fields = ("channel_order_id", "display_code", "customer_name")
    date_hierarchy = "placed_at"
    list_select_related = ("restaurant", "connection__restaurant", "connection__channel")
    change_form_template = "admin/orders/order/ticket.html"
    fields = ("display_code",)  # the ticket template draws the page; the form is never rendered nor saved

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # orders arrive from channels and the POS

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a read-only ticket: Django answers a POST to it with 403

    def can_act(self, request: HttpRequest) -> bool:
        """Whether ``request.user`` may press the ticket's buttons (the model's change permission)."""
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}")

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context=None):
        order = load_order(int(object_id)) if str(object_id).isdigit() else None
        if order is not None:
            ticket = build_ticket(order)
            extra_context = {
                **(extra_context or {}),
                "ticket": ticket,
                "timeline": [(local_time(entry.at, ticket.timezone, seconds=True), entry) for entry in ticket.timeline],
                **self.channel_side(request, order, ticket),
                "title": f"{ticket.kind} {ticket.title}",
                "subtitle": None,
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def channel_side(self, request: HttpRequest, order: Order, ticket: Ticket) -> dict[str, Any]:
        """What the integration layer adds to the page: buttons, jobs, webhooks, calls (here: nothing)."""
        return {}

    @admin.display(description=_("Code"), ordering="display_code")
    def code(self, order: Order) -> str:
        return format_html("{}<br><small>{}</small>", order.display_code or order.channel_order_id or order.pk,
                           order.get_service_type_display())

    @admin.display(description=_("Restaurant"), ordering="restaurant__name")
    def restaurant_name(self, order: Order) -> str:
        return truncated(order.restaurant.name)

    @admin.display(description=_("Channel"), ordering="connection__channel__name")
    def channel_name(self, order: Order) -> str:
        if order.connection is None:
            return "—"
        connection = order.connection
        # The restaurant has its own column: the channel and environment say which connection, the title all of it.
        return truncated(f"{connection.channel.name} ({connection.environment})", NAME_LIMIT, title=str(connection))

    @admin.display(description=_("Status (the channel's code)"), ordering="status")
    def status_both_sides(self, order: Order) -> str:
        if not order.channel_status:
            return order.get_status_display()
        return format_html("{}<br><small>{}</small>", order.get_status_display(), order.channel_status)

    @admin.display(description=_("Total"), ordering="total_amount")
    def total(self, order: Order) -> str:
        return format_html('<span style="white-space: nowrap">{}</span>', amount(order, order.total_amount))

    @admin.display(description=_("Placed (restaurant's time)"), ordering="placed_at")
    def placed(self, order: Order) -> str:
        return time_cell(order.placed_at, order.restaurant.timezone)


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
