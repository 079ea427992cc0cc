"""Support staff's view of channels (with their coverage documents), connections and published references."""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from canonical import FINAL_STATUSES

from ..channels.registry import UnknownChannelModule, get_module
from ..connection_actions import set_enabled
from ..coverage import build_coverage, render_html, render_markdown
from ..inbound.event_actions import release_held
from ..models import Channel, Connection, ExternalRef, SyncJob
from ..outbound.services import pause_channel, resume_channel
from ..validation_results import latest_validations
from .display import restaurant_time, restaurant_time_cell
from .forms import PAUSE_FIELDS, REPLACE_SECRET_PERMISSION, RESUME_FIELDS, ChannelForm, ConnectionForm
from .validation import run_validation

# What the platform records of a connection's health: read-only, shown together (times on the restaurant's clock).
HEALTH_FIELDS = [
    "last_webhook",
    "last_call_ok",
    "last_call_failed",
    "last_error",
    "consecutive_failures",
    "circuit_open",
    "webhook_rejections",
]


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    form = ChannelForm
    list_display = ["name", "module", "enabled", "connection_count", "coverage_links"]
    list_filter = ["enabled", "module"]
    search_fields = ["name", "module"]

    def save_model(self, request: HttpRequest, obj: Channel, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and "enabled" in form.changed_data and obj.enabled:
            released = release_held(obj.connections.values_list("pk", flat=True))
            if released:
                self.message_user(request, f"{released} held webhook(s) sent to processing.", messages.INFO)

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(_connections=Count("connections"))

    @admin.display(description="Connections", ordering="_connections")
    def connection_count(self, obj: Channel) -> int:
        return obj._connections

    @admin.display(description="Coverage document")
    def coverage_links(self, obj: Channel) -> str:
        return format_html(
            '<a href="{}">HTML</a> · <a href="{}">Markdown</a>',
            reverse("admin:integrations_channel_coverage", args=[obj.pk]),
            reverse("admin:integrations_channel_coverage_md", args=[obj.pk]),
        )

    def get_urls(self):
        extra = [
            path(
                "<int:pk>/coverage/",
                self.admin_site.admin_view(self.coverage_view),
                name="integrations_channel_coverage",
            ),
            path(
                "<int:pk>/coverage.md",
                self.admin_site.admin_view(self.coverage_markdown_view),
                name="integrations_channel_coverage_md",
            ),
        ]
        return extra + super().get_urls()

    def _document(self, request: HttpRequest, pk: int):
        channel = get_object_or_404(Channel, pk=pk)
        if not self.has_view_permission(request, channel):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        try:
            module = get_module(channel.module)
        except UnknownChannelModule as exc:
            from django.http import Http404

            raise Http404(str(exc)) from None
        return channel, build_coverage(module, latest_validations(channel.module))

    def coverage_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        _, document = self._document(request, pk)
        return HttpResponse(render_html(document))

    def coverage_markdown_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        channel, document = self._document(request, pk)
        response = HttpResponse(render_markdown(document), content_type="text/markdown; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="coverage-{channel.module}.md"'
        return response


@admin.register(Connection)
class ConnectionAdmin(admin.ModelAdmin):
    form = ConnectionForm
    list_display = [
        "restaurant",
        "channel",
        "environment",
        "store_id",
        "enabled",
        "auto_accept",
        "health",
        "last_webhook",
        "last_call_ok",
    ]
    list_filter = ["environment", "enabled", "channel"]
    search_fields = ["restaurant__name", "store_id", "channel__name"]
    list_select_related = ["restaurant", "channel"]
    autocomplete_fields = ["restaurant"]
    readonly_fields = [
        "webhook_url", "credentials_summary", "channel_pause_state", *HEALTH_FIELDS, "created", "updated"
    ]
    change_form_template = "admin/integrations/connection/change_form.html"
    actions = ["disable_connections", "enable_connections", run_validation]

    def get_form(self, request, obj=None, change=False, **kwargs):
        # The form's Meta.fields; it adds the credential inputs itself (they are not model fields).
        kwargs["fields"] = None
        form_class = super().get_form(request, obj, change=change, **kwargs)
        can_replace = request.user.has_perm(REPLACE_SECRET_PERMISSION)

        class BoundConnectionForm(form_class):
            def __init__(self, *args, **inner):
                inner["can_replace_secrets"] = can_replace
                super().__init__(*args, **inner)

        return BoundConnectionForm

    def get_fieldsets(self, request, obj=None):
        # The same data the page's form gets, so a new connection's credential fields follow its chosen channel.
        data = request.POST if request.method == "POST" else None
        initial = self.get_changeform_initial_data(request) if obj is None else None
        form = self.get_form(request, obj)(data=data, initial=initial, instance=obj)
        credential_fields = [name for name in form.fields if name.startswith("cred__")]
        pause_fields = [name for name in (*PAUSE_FIELDS, *RESUME_FIELDS) if name in form.fields]
        fieldsets = [
            (None, {"fields": ["restaurant", "channel", "environment", "store_id", "enabled", "webhook_url"]}),
            (
                _("Credentials"),
                {
                    "fields": credential_fields or ["credentials_summary"],
                    "description": _("Encrypted at rest. Secrets are write-only: nobody can read them back here."),
                },
            ),
            (
                _("Orders"),
                {
                    "fields": ["auto_accept", "auto_accept_prep_minutes"],
                    "description": _("Auto-accept takes every new order (not reservations) at once and tells the "
                                     "channel it will be ready in the preparation minutes."),
                },
            ),
        ]
        if obj is not None:
            fieldsets.append((
                _("Pause on this channel"),
                {
                    "fields": ["channel_pause_state", *pause_fields],
                    "description": _("Sent to the channel through the pause service; the restaurant's own pauses "
                                     "(all channels) are under Restaurants › Pauses."),
                },
            ))
        fieldsets += [
            (_("Health"), {"fields": HEALTH_FIELDS}),
            (_("History"), {"fields": ["created", "updated"]}),
        ]
        return fieldsets

    def save_model(self, request: HttpRequest, obj: Connection, form, change: bool) -> None:
        """The connection's own fields, then its channel's pause or resume through the services (same transaction)."""
        super().save_model(request, obj, form, change)
        data = form.cleaned_data
        if data.get("pause_now"):
            pause_channel(obj, data.get("pause_until"), data.get("pause_reason") or "", by=request.user)
            self.message_user(request, _("Paused on %(channel)s: the channel is being told.") % {
                "channel": obj.channel.name}, messages.INFO)
        elif data.get("resume_now"):
            resume_channel(obj, by=request.user)
            self.message_user(request, _("Resumed on %(channel)s: the channel is being told.") % {
                "channel": obj.channel.name}, messages.INFO)

    @admin.display(description=_("Now"))
    def channel_pause_state(self, obj: Connection) -> str:
        if not obj.is_channel_paused():
            return _("Selling on this channel (no pause of its own).")
        until = restaurant_time(obj.channel_paused_until, obj) if obj.channel_paused_until else None
        reason = f" ({obj.channel_pause_reason})" if obj.channel_pause_reason else ""
        if until:
            return _("Paused until %(until)s%(reason)s.") % {"until": until, "reason": reason}
        return _("Paused until resumed%(reason)s.") % {"reason": reason}

    @admin.display(description="Webhook URL")
    def webhook_url(self, obj: Connection) -> str:
        if not obj.pk:
            return "Assigned when the connection is saved."
        from django.conf import settings

        return f"{settings.SINQRO_PUBLIC_URL.rstrip('/')}/webhooks/{obj.webhook_token}/"

    @admin.display(description="Credentials")
    def credentials_summary(self, obj: Connection) -> str:
        if not obj.pk:
            return "Choose the channel and the environment above: the channel's credential fields appear here."
        names = sorted(obj.credentials or {})
        return "Stored (encrypted): " + ", ".join(names) if names else "None stored yet."

    @admin.display(description=_("Created (restaurant's time)"), ordering="created_at")
    def created(self, obj: Connection) -> str:
        return restaurant_time(obj.created_at, obj) if obj.pk else "—"

    @admin.display(description=_("Updated (restaurant's time)"), ordering="updated_at")
    def updated(self, obj: Connection) -> str:
        return restaurant_time(obj.updated_at, obj) if obj.pk else "—"

    @admin.display(description=_("Last webhook"), ordering="last_webhook_at")
    def last_webhook(self, obj: Connection) -> str:
        return restaurant_time_cell(obj.last_webhook_at, obj)

    @admin.display(description=_("Last call OK"), ordering="last_call_ok_at")
    def last_call_ok(self, obj: Connection) -> str:
        return restaurant_time_cell(obj.last_call_ok_at, obj)

    @admin.display(description=_("Last call failed"), ordering="last_call_failed_at")
    def last_call_failed(self, obj: Connection) -> str:
        return restaurant_time(obj.last_call_failed_at, obj)

    @admin.display(description=_("Circuit open until"), ordering="circuit_open_until")
    def circuit_open(self, obj: Connection) -> str:
        return restaurant_time(obj.circuit_open_until, obj)

    @admin.display(description="Health")
    def health(self, obj: Connection) -> str:
        if not obj.enabled:
            return "disabled"
        if obj.circuit_is_open():
            return "unreachable (circuit open)"
        if obj.consecutive_failures:
            return f"failing ({obj.consecutive_failures} in a row)"
        return "ok"

    @admin.action(description="Disable selected connections…", permissions=["change"])
    def disable_connections(self, request: HttpRequest, queryset) -> TemplateResponse | None:
        """Asks first, saying what disabling does; disables only once staff confirm."""
        if request.POST.get("confirmed") != "yes":
            rows = [
                {
                    "connection": connection,
                    "open_orders": connection.orders.exclude(status__in=FINAL_STATUSES).count(),
                    "pending_jobs": connection.sync_jobs.filter(state=SyncJob.State.PENDING).count(),
                }
                for connection in queryset.select_related("restaurant", "channel")
            ]
            context = {**self.admin_site.each_context(request), "opts": self.opts, "connections": rows}
            return TemplateResponse(request, "admin/integrations/connection/disable_confirmation.html", context)
        switched = set_enabled(queryset.values_list("pk", flat=True), enabled=False)
        self.message_user(
            request,
            f"{switched.count} connection(s) disabled; what their channels send is held until you enable them.",
            messages.SUCCESS,
        )
        return None

    @admin.action(description="Enable selected connections", permissions=["change"])
    def enable_connections(self, request: HttpRequest, queryset) -> None:
        switched = set_enabled(queryset.values_list("pk", flat=True), enabled=True)
        held = f"; {switched.released} held webhook(s) sent to processing" if switched.released else ""
        self.message_user(request, f"{switched.count} connection(s) enabled{held}.", messages.SUCCESS)
        if switched.channel_disabled:
            self.message_user(
                request,
                f"{len(switched.channel_disabled)} of them belong to a disabled channel: "
                "they receive and send nothing until the channel is enabled.",
                messages.WARNING,
            )

    def get_readonly_fields(self, request: HttpRequest, obj: Connection | None = None) -> list[str]:
        # On an existing connection the switch is the list's actions: disabling asks first, enabling releases
        # what was held. A form checkbox would do neither.
        return [*super().get_readonly_fields(request, obj), *(["enabled"] if obj is not None else [])]


@admin.register(ExternalRef)
class ExternalRefAdmin(admin.ModelAdmin):
    list_display = ["connection", "kind", "local_ref", "external_id", "fingerprint", "published_at"]
    list_filter = ["kind", "connection__channel"]
    search_fields = ["local_ref", "external_id"]
    list_select_related = ["connection__restaurant", "connection__channel"]
    readonly_fields = ["fingerprint", "published_at"]
