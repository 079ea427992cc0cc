"""Validation runs in admin: the "Run validation" action on connections and a run page that fills in live."""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from ..channels.features import Feature
from ..models import ValidationResult, ValidationRun
from ..validation.starting import start_validations

REFRESH_SECONDS = 2
TONES = {"passed": "#17692b", "failed": "#a61b1b", "skipped": "#8a5a00"}


@admin.action(description="Run validation against the sandbox", permissions=["change"])
def run_validation(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset) -> HttpResponseRedirect | None:
    """One run per selected sandbox connection; lands on the run's page (or the list of runs for several)."""
    started = start_validations(queryset.select_related("channel", "restaurant"), by=request.user)
    for refusal in started.refused:
        modeladmin.message_user(request, refusal.reason, messages.ERROR)
    if len(started.runs) == 1:
        return HttpResponseRedirect(reverse("admin:integrations_validationrun_change", args=[started.runs[0].pk]))
    if started.runs:
        modeladmin.message_user(request, f"{len(started.runs)} validation run(s) started.", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:integrations_validationrun_changelist"))
    return None


@admin.register(ValidationRun)
class ValidationRunAdmin(admin.ModelAdmin):
    list_display = ["id", "connection", "module", "state", "started_at", "finished_at", "by", "summary"]
    list_filter = ["state", "module"]
    list_select_related = ["connection__restaurant", "connection__channel", "by"]
    search_fields = ["connection__restaurant__name", "module"]
    fields = ["connection", "module", "state", "started_at", "finished_at", "by", "error", "results_table",
              "coverage_links"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # runs are started from a connection's "Run validation" action

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description="Results")
    def summary(self, obj: ValidationRun) -> str:
        counts = {result: 0 for result in ValidationResult.Result.values}
        for result in obj.results.values_list("result", flat=True):
            counts[result] += 1
        return ", ".join(f"{count} {result}" for result, count in counts.items() if count) or "—"

    @admin.display(description="Per feature")
    def results_table(self, obj: ValidationRun) -> str:
        done = {row.feature: row for row in obj.results.all()}
        rows = []
        for feature in Feature:
            row = done.get(feature.value)
            if row is None:
                waiting = "running…" if obj.state == ValidationRun.State.RUNNING else "not run"
                rows.append((feature.title, "#666", waiting, "", ""))
            else:
                rows.append((feature.title, TONES[row.result], row.result, f"{row.duration_ms} ms", row.detail))
        body = format_html_join(
            "",
            '<tr><td>{}</td><td style="color:{};font-weight:600">{}</td><td>{}</td>'
            '<td style="white-space:pre-wrap">{}</td></tr>',
            rows,
        )
        return format_html(
            '<table data-testid="validation-results"><thead><tr><th>Feature</th><th>Result</th><th>Took</th>'
            "<th>Detail</th></tr></thead><tbody>{}</tbody></table>",
            body,
        )

    @admin.display(description="Coverage document")
    def coverage_links(self, obj: ValidationRun) -> str:
        channel_id = obj.connection.channel_id
        return format_html(
            '<a href="{}">HTML</a> · <a href="{}">Markdown</a>',
            reverse("admin:integrations_channel_coverage", args=[channel_id]),
            reverse("admin:integrations_channel_coverage_md", args=[channel_id]),
        )

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        run = ValidationRun.objects.filter(pk=object_id).only("state").first()
        if run is not None and run.state == ValidationRun.State.RUNNING:
            # The browser reloads the page while the worker fills in results (the Refresh header is the
            # HTTP twin of <meta http-equiv="refresh">).
            response["Refresh"] = str(REFRESH_SECONDS)
        return response


@admin.register(ValidationResult)
class ValidationResultAdmin(admin.ModelAdmin):
    """Every feature result across runs: "which feature fails on which channel, since when"."""

    list_display = ["run", "feature", "result", "duration_ms", "finished_at", "short_detail"]
    list_filter = ["result", "feature", "run__module"]
    list_select_related = ["run__connection__restaurant", "run__connection__channel"]
    search_fields = ["detail"]
    fields = ["run", "feature", "result", "detail", "duration_ms", "finished_at"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description="Detail")
    def short_detail(self, obj: ValidationResult) -> str:
        return obj.detail if len(obj.detail) <= 100 else obj.detail[:97] + "…"
