"""The latest validation result per feature, for the coverage document.

Validation runs arrive with the staff workflows issue; until then there are none.
"""

from __future__ import annotations

from .channels.features import Feature
from .coverage import ValidationOutcome


def latest_validations(slug: str) -> dict[Feature, ValidationOutcome]:
    return {}
