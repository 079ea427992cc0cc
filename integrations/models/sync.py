"""The outbox: work that must reach a channel, and every attempt to deliver it."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .webhooks import new_correlation_id


class SyncJob(models.Model):
    """One thing one connection must hear about, written in the same transaction as the change."""

    class Kind(models.TextChoices):
        ORDER_STATUS = "order_status", _("Order status")
        DELIVERY_LOCATION = "delivery_location", _("Driver location")
        OPENING_HOURS = "opening_hours", _("Opening hours and exceptions")
        PAUSE = "pause", _("Pause")
        RESUME = "resume", _("Resume")
        CATALOG = "catalog", _("Catalog publish")
        CATALOG_ITEMS = "catalog_items", _("Catalog item update")

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")
        SUPERSEDED = "superseded", _("Superseded")
        CANCELLED = "cancelled", _("Cancelled")

    connection = models.ForeignKey("integrations.Connection", on_delete=models.CASCADE, related_name="sync_jobs")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    order = models.ForeignKey(
        "orders.Order", on_delete=models.CASCADE, null=True, blank=True, related_name="sync_jobs"
    )
    target = models.CharField(max_length=200, blank=True, help_text=_("What it is about, in words"))
    ordering_key = models.CharField(
        max_length=120, blank=True, db_index=True, help_text=_("Jobs with the same key run one at a time, in order")
    )
    coalesce_key = models.CharField(
        max_length=120, blank=True, help_text=_("A newer pending job with the same key supersedes this one")
    )
    payload = models.JSONField(help_text=_("The canonical payload, as sent"))
    state = models.CharField(max_length=20, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    max_attempts = models.PositiveIntegerField(default=8)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    deadline_at = models.DateTimeField(null=True, blank=True, help_text=_("After this the channel no longer wants it"))
    last_error = models.TextField(blank=True)
    result = models.JSONField(
        default=dict, blank=True, help_text=_("What the channel answered (e.g. a transaction id)")
    )
    idempotency_key = models.CharField(max_length=64, default=new_correlation_id, unique=True)
    correlation_id = models.CharField(max_length=64, default=new_correlation_id, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    started_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(
        null=True, blank=True, help_text=_("While running: the worker renews this; once it passes, the worker is gone")
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="syncjob_due"),
            models.Index(fields=["connection", "ordering_key", "created_at"], name="syncjob_order_lane"),
            models.Index(fields=["connection", "coalesce_key", "state"], name="syncjob_coalesce"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.connection_id} ({self.state})"


class SyncAttempt(models.Model):
    """One try of a job: outcome, duration and the channel calls it made."""

    class Outcome(models.TextChoices):
        OK = "ok", _("OK")
        RETRYABLE = "retryable", _("Retryable error")
        PERMANENT = "permanent", _("Permanent error")
        SKIPPED = "skipped", _("Skipped")

    job = models.ForeignKey(SyncJob, on_delete=models.CASCADE, related_name="attempt_rows")
    number = models.PositiveIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    duration_ms = models.PositiveIntegerField(default=0)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    status_code = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["job", "number"]
        constraints = [models.UniqueConstraint(fields=["job", "number"], name="unique_attempt_number")]

    def __str__(self) -> str:
        return f"attempt {self.number} of job {self.job_id}: {self.outcome}"


class RateLimitWindow(models.Model):
    """Calls counted in one fixed window of a declared rate limit, shared by every worker.

    Used when the cache is not Redis (the file cache cannot increment atomically
    across processes): a conditional ``UPDATE … SET count = count + 1 WHERE
    count < limit`` is atomic on SQLite and PostgreSQL alike.
    """

    key = models.CharField(max_length=200)
    window = models.BigIntegerField(help_text=_("Window number: seconds since the epoch // the limit's period"))
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window"], name="unique_rate_limit_window")]

    def __str__(self) -> str:
        return f"{self.key} #{self.window}: {self.count}"
