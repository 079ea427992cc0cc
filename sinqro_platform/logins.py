"""Login throttling helpers for django-axes (settings ``AXES_LOCKOUT_CALLABLE`` and ``AXES_CLIENT_IP_CALLABLE``)."""

from __future__ import annotations

import math

from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


def client_ip(request: HttpRequest) -> str | None:
    """The address axes counts failures for.

    Behind ``SINQRO_TRUSTED_PROXY_COUNT`` proxies (the load balancer: 1) it is the address the outermost of them saw,
    read from the right of X-Forwarded-For (entries further left are whatever the client sent). With 0 it is the
    socket's address, REMOTE_ADDR: behind a proxy that would be the proxy's, and every login would share it.
    """
    proxies = settings.SINQRO_TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies > 0 and forwarded:
        return forwarded[-min(proxies, len(forwarded))]
    return request.META.get("REMOTE_ADDR")


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """The page a locked-out login gets: 429, when to try again (also as Retry-After), and who can unlock it.

    Every attempt while locked counts again (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT), so the lock ends one
    cool-off after this attempt.
    """
    cool_off = get_cool_off(request)
    now = getattr(request, "axes_attempt_time", None) or timezone.now()
    context = {
        "username": get_client_username(request, credentials) or "",
        "failure_limit": get_failure_limit(request, credentials),
        "cool_off_minutes": math.ceil(cool_off.total_seconds() / 60) if cool_off else None,
        "retry_at": now + cool_off if cool_off else None,
        "admin_login": request.path.startswith("/admin/"),
    }
    response = render(request, "registration/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
    if cool_off:
        response["Retry-After"] = str(math.ceil(cool_off.total_seconds()))
    return response
