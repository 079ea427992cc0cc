"""A person's language and a restaurant's language, each a row of its own.

A user's language lives in its own row (not on a restaurant membership) because support staff have no
membership and a manager of two restaurants is still one reader. A restaurant's language is what its POS
reads when it asks without an Accept-Language header, and how its dates and money are written.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def language_choices() -> list[tuple[str, str]]:
    return list(settings.LANGUAGES)


class UserLanguage(models.Model):
    """The language a user chose with the switcher; activated on every page they open."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="language", verbose_name=_("user")
    )
    language = models.CharField(_("language"), max_length=10, choices=language_choices)

    class Meta:
        verbose_name = _("user language")
        verbose_name_plural = _("user languages")

    def __str__(self) -> str:
        return f"{self.user}: {self.language}"


class RestaurantLanguage(models.Model):
    """The restaurant's own language: its POS API answers and its documents default to it."""

    restaurant = models.OneToOneField(
        "restaurants.Restaurant", on_delete=models.CASCADE, related_name="language", verbose_name=_("restaurant")
    )
    language = models.CharField(_("language"), max_length=10, choices=language_choices)

    class Meta:
        verbose_name = _("restaurant language")
        verbose_name_plural = _("restaurant languages")

    def __str__(self) -> str:
        return f"{self.restaurant}: {self.language}"
