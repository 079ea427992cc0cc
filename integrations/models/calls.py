"""Every HTTP call made to a channel, redacted and size-capped."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ChannelCall(models.Model):
    class Outcome(models.TextChoices):
        OK = "ok", _("OK")
        RETRYABLE = "retryable", _("Retryable error")
        PERMANENT = "permanent", _("Permanent error")

    connection = models.ForeignKey(
        "integrations.Connection", on_delete=models.CASCADE, related_name="calls", null=True, blank=True
    )
    sync_attempt = models.ForeignKey(
        "integrations.SyncAttempt", on_delete=models.SET_NULL, null=True, blank=True, related_name="calls"
    )
    operation = models.CharField(max_length=60, blank=True, help_text=_("What we were doing, e.g. get_order"))
    correlation_id = models.CharField(max_length=64, blank=True, db_index=True)
    method = models.CharField(max_length=10)
    url = models.TextField()
    request_headers = models.JSONField(default=dict, blank=True)
    request_body = models.TextField(blank=True)
    status_code = models.PositiveIntegerField(null=True, blank=True)
    response_headers = models.JSONField(default=dict, blank=True)
    response_body = models.TextField(blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["connection", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.method} {self.url} → {self.status_code or self.outcome}"
