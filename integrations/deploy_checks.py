"""`manage.py check --deploy` says when the keys are the repository's own (production refuses to start on them)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register

from sinqro_platform.settings import development_keys_in_use


@register(Tags.security, deploy=True)
def no_development_keys(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    return [
        Error(problem, id="sinqro.E001")
        for problem in development_keys_in_use(settings.SECRET_KEY, list(settings.SINQRO_SECRET_KEYS))
    ]
