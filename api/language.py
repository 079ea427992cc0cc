"""Which language the POS API answers in: the caller's Accept-Language, else its restaurant's language."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import translation

from sinqro_platform.languages.models import RestaurantLanguage

from .models import ApiKey


def answer_in_restaurant_language(request: HttpRequest, api_key: ApiKey) -> None:
    """Without an Accept-Language header (LocaleMiddleware read it when there was one), answer in the language
    of the key's restaurants, when they share one."""
    if request.META.get("HTTP_ACCEPT_LANGUAGE"):
        return
    languages = set(
        RestaurantLanguage.objects.filter(restaurant__api_keys=api_key).values_list("language", flat=True)
    )
    if len(languages) == 1:
        language = languages.pop()
        translation.activate(language)
        request.LANGUAGE_CODE = language
