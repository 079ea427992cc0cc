"""Read a stored language: a user's, a restaurant's."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.http import HttpRequest

from .models import RestaurantLanguage, UserLanguage

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from restaurants.models import Restaurant

SUPPORTED = {code for code, _name in settings.LANGUAGES}
SESSION_KEY = "_sinqro_user_language"  # [user id, language or ""]: the stored choice, read once per session


def user_language(user: AbstractBaseUser | AnonymousUser | None) -> str | None:
    """The language the user chose, or None when they never chose one."""
    if not getattr(user, "is_authenticated", False):
        return None
    language = UserLanguage.objects.filter(user=user).values_list("language", flat=True).first()
    return language if language in SUPPORTED else None


def restaurant_language(restaurant: Restaurant | None) -> str:
    """The restaurant's language; the site's default when none is set."""
    if restaurant is None:
        return settings.LANGUAGE_CODE
    language = RestaurantLanguage.objects.filter(restaurant=restaurant).values_list("language", flat=True).first()
    return language if language in SUPPORTED else settings.LANGUAGE_CODE


def remember_user_language(request: HttpRequest, language: str) -> None:
    """Store the user's choice (the switcher calls this) in the database and the session; an unsupported
    code is ignored."""
    user = request.user
    if getattr(user, "is_authenticated", False) and language in SUPPORTED:
        UserLanguage.objects.update_or_create(user=user, defaults={"language": language})
        request.session[SESSION_KEY] = [user.pk, language]
