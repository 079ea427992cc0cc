"""The latest validation result per feature, for the coverage document (admin views and ``coverage_document``)."""

from __future__ import annotations

from .channels.features import Feature
from .coverage import ValidationOutcome
from .models import ValidationResult, ValidationRun


def latest_validations(slug: str) -> dict[Feature, ValidationOutcome]:
    """For each feature, the newest result from a finished run of any connection using module ``slug``."""
    results = (
        ValidationResult.objects.filter(run__module=slug)
        .exclude(run__state=ValidationRun.State.RUNNING)
        .order_by("feature", "-finished_at", "-id")
    )
    latest: dict[Feature, ValidationOutcome] = {}
    for row in results:
        feature = Feature(row.feature)
        if feature not in latest:
            latest[feature] = ValidationOutcome(result=row.result, detail=row.detail, at=row.finished_at)
    return latest
