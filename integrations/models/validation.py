"""Validation runs: each declared feature of a module exercised against a connection's sandbox, with results."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..channels.features import Feature

FEATURE_CHOICES = [(feature.value, feature.title) for feature in Feature]


class ValidationRun(models.Model):
    """One run over every feature of a connection's module. ``running`` until the last feature has a result."""

    class State(models.TextChoices):
        RUNNING = "running", _("Running")
        PASSED = "passed", _("Passed")
        FAILED = "failed", _("Failed")

    connection = models.ForeignKey(
        "integrations.Connection", on_delete=models.CASCADE, related_name="validation_runs"
    )
    module = models.CharField(max_length=60, help_text=_("The module slug at the time of the run"))
    state = models.CharField(max_length=20, choices=State.choices, default=State.RUNNING)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    error = models.TextField(blank=True, help_text=_("Why the run itself stopped early, if it did"))

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["module", "-started_at"], name="validationrun_module_started")]

    def __str__(self) -> str:
        return f"Validation {self.pk} of {self.connection} ({self.state})"


class ValidationResult(models.Model):
    """The outcome of one feature in a run: passed, failed with the error, or skipped with why."""

    class Result(models.TextChoices):
        PASSED = "passed", _("Passed")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped")

    run = models.ForeignKey(ValidationRun, on_delete=models.CASCADE, related_name="results")
    feature = models.CharField(max_length=40, choices=FEATURE_CHOICES)
    result = models.CharField(max_length=20, choices=Result.choices)
    detail = models.TextField(blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["run", "id"]
        constraints = [models.UniqueConstraint(fields=["run", "feature"], name="unique_validation_result_feature")]

    def __str__(self) -> str:
        return f"{self.feature}: {self.result}"
