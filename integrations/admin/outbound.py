"""Support staff's review of the outbox: every sync job, every attempt, and the buttons to fix things.

A failed job shows its error and each attempt with status code, duration and
links to the recorded channel calls (request and response). Staff can retry
now, cancel, or retry every failed job of the selected jobs' connections
after fixing the cause; the top of the list counts failing jobs per channel.
The actions are one call each to ``integrations.outbound.job_actions``, where
the rules of when a job may be retried or cancelled live.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import admin, messages
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from ..models import Connection, RateLimitWindow, SyncAttempt, SyncJob
from ..outbound import job_actions
from .display import restaurant_time_cell, short_name


class AgeFilter(admin.SimpleListFilter):
    title = "age"
    parameter_name = "age"

    def lookups(self, request, model_admin):
        return [("hour", "Less than 1 hour"), ("day", "Less than 1 day"), ("older", "Older than 1 day")]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "hour":
            return queryset.filter(created_at__gte=now - timedelta(hours=1))
        if self.value() == "day":
            return queryset.filter(created_at__gte=now - timedelta(days=1))
        if self.value() == "older":
            return queryset.filter(created_at__lt=now - timedelta(days=1))
        return queryset


class SyncAttemptInline(admin.TabularInline):
    model = SyncAttempt
    extra = 0
    can_delete = False
    fields = ["number", "started_at", "outcome", "status_code", "duration_ms", "error", "channel_calls"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("calls")

    @admin.display(description="Channel calls (request / response)")
    def channel_calls(self, attempt: SyncAttempt) -> str:
        calls = list(attempt.calls.all())
        if not calls:
            return "—"
        return format_html_join(
            mark_safe("<br>"),
            '<a href="{}">{} {} → {}</a>',
            (
                (
                    reverse("admin:integrations_channelcall_change", args=[call.pk]),
                    call.method,
                    call.operation or call.url,
                    call.status_code or call.outcome,
                )
                for call in calls
            ),
        )


@admin.register(SyncJob)
class SyncJobAdmin(admin.ModelAdmin):
    # The job's state and what it is lead; the cut names come last, so a narrow screen keeps what matters.
    list_display = [
        "id",
        "state",
        "kind",
        "target",
        "created",
        "attempts",
        "next_attempt",
        "short_error",
        "channel",
        "restaurant",
    ]
    list_filter = ["state", "kind", "connection__channel", "connection__restaurant", AgeFilter]
    search_fields = ["target", "correlation_id", "last_error", "connection__store_id"]
    list_select_related = ["connection__channel", "connection__restaurant"]
    show_full_result_count = False
    inlines = [SyncAttemptInline]
    actions = ["retry_now", "cancel", "retry_all_failed_for_connections"]
    fields = [
        "connection",
        "kind",
        "target",
        "order",
        "state",
        "last_error",
        "attempts",
        "max_attempts",
        "next_attempt_at",
        "deadline_at",
        "ordering_key",
        "coalesce_key",
        "correlation_id",
        "idempotency_key",
        "created_at",
        "started_at",
        "finished_at",
        "payload",
        "result",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        # The list never shows payloads or results; a catalog job's payload is the whole catalog.
        queryset = super().get_queryset(request)
        if request.resolver_match and (request.resolver_match.url_name or "").endswith("_changelist"):
            queryset = queryset.defer("payload", "result")
        return queryset

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # Nothing is edited by hand; the actions need the change permission, so allow it without a form.
        return super().has_change_permission(request, obj) if obj is None else False

    @admin.display(description="Channel", ordering="connection__channel__name")
    def channel(self, job: SyncJob) -> str:
        return short_name(job.connection.channel.name)

    @admin.display(description="Restaurant", ordering="connection__restaurant__name")
    def restaurant(self, job: SyncJob) -> str:
        return short_name(job.connection.restaurant.name)

    @admin.display(description="Created (restaurant's time)", ordering="created_at")
    def created(self, job: SyncJob) -> str:
        return restaurant_time_cell(job.created_at, job.connection)

    @admin.display(description="Next attempt", ordering="next_attempt_at")
    def next_attempt(self, job: SyncJob) -> str:
        return restaurant_time_cell(job.next_attempt_at, job.connection)

    @admin.display(description="Last error")
    def short_error(self, job: SyncJob) -> str:
        return job.last_error if len(job.last_error) <= 90 else job.last_error[:87] + "…"

    # --- actions ---------------------------------------------------------------------

    @admin.action(description="Retry now", permissions=["change"])
    def retry_now(self, request: HttpRequest, queryset: QuerySet[SyncJob]) -> None:
        done = job_actions.retry_jobs(queryset.values_list("pk", flat=True))
        self.message_user(request, f"{done.count} job(s) queued to run now.", messages.SUCCESS)
        self._tell_refused(request, done, "retried")

    @admin.action(description="Cancel", permissions=["change"])
    def cancel(self, request: HttpRequest, queryset: QuerySet[SyncJob]) -> None:
        done = job_actions.cancel_jobs(queryset.values_list("pk", flat=True))
        self.message_user(request, f"{done.count} job(s) cancelled.", messages.SUCCESS)
        self._tell_refused(request, done, "cancelled")

    @admin.action(description="Retry all failed jobs of these jobs' connections", permissions=["change"])
    def retry_all_failed_for_connections(self, request: HttpRequest, queryset: QuerySet[SyncJob]) -> None:
        connection_ids = set(queryset.values_list("connection_id", flat=True))
        done = job_actions.retry_failed_jobs(connection_ids=connection_ids)
        self.message_user(
            request,
            f"{done.count} failed job(s) of {len(connection_ids)} connection(s) queued to run now.",
            messages.SUCCESS,
        )
        self._tell_refused(request, done, "retried")

    def _tell_refused(self, request: HttpRequest, done: job_actions.JobsChanged, verb: str) -> None:
        for reason, ids in done.refusals_by_reason().items():
            shown = ", ".join(str(job_id) for job_id in ids[:10]) + (" …" if len(ids) > 10 else "")
            self.message_user(request, f"{len(ids)} job(s) not {verb} ({shown}): {reason}.", messages.WARNING)

    # --- dashboard -------------------------------------------------------------------

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), **failing_summary()}
        return super().changelist_view(request, extra_context=extra_context)


def failing_summary() -> dict[str, object]:
    """Failing jobs per channel and unreachable connections, for the top of the job list."""
    failing = (
        SyncJob.objects.filter(state=SyncJob.State.FAILED)
        .values("connection__channel__id", "connection__channel__name")
        .annotate(count=Count("id"))
        .order_by("-count", "connection__channel__name")
    )
    unreachable = Connection.objects.filter(circuit_open_until__gt=timezone.now()).select_related(
        "restaurant", "channel"
    )
    return {
        "failing_by_channel": [
            {
                "channel": row["connection__channel__name"],
                "channel_id": row["connection__channel__id"],
                "count": row["count"],
            }
            for row in failing
        ],
        "unreachable_connections": list(unreachable),
    }


@admin.register(RateLimitWindow)
class RateLimitWindowAdmin(admin.ModelAdmin):
    """Read-only: how many calls each declared rate limit counted in its current windows."""

    list_display = ["key", "window", "count", "expires_at"]
    search_fields = ["key"]
    readonly_fields = list_display

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
