"""Activate a logged-in user's stored language (after LocaleMiddleware, which reads the cookie and header)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation

from .lookup import SESSION_KEY, user_language


class UserLanguageMiddleware:
    """The user's own choice wins over the browser's Accept-Language, on every device they log in from.

    Read from the session, where login put it (``signals.language_into_session``) and the switcher keeps
    it; a session from before that (no key) reads it from the database, without writing the session, so
    every request of a page costs the same.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            cached = request.session.get(SESSION_KEY)
            if isinstance(cached, list) and len(cached) == 2 and cached[0] == user.pk:
                language = cached[1]
            else:
                language = user_language(user) or ""
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)
