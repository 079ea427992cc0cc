"""At login, the user's stored language goes into the session (the middleware then reads no table)."""

from __future__ import annotations

from .lookup import SESSION_KEY, user_language


def language_into_session(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = [user.pk, user_language(user) or ""]
