"""The language switcher's target: Django's own set_language, and the choice kept for the user."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from .lookup import remember_user_language


@require_POST
@csrf_protect
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's set_language (cookie and redirect to ``next``); a logged-in user's choice is stored too."""
    response = django_set_language(request)
    remember_user_language(request, request.POST.get("language", ""))
    return response
