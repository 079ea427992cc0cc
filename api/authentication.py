"""``Authorization: Api-Key <key>`` for DRF: who is calling, and which restaurants it may touch."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext
from rest_framework import authentication, exceptions, permissions
from rest_framework.request import Request

from .keys import find_active_key, touch
from .language import answer_in_restaurant_language
from .models import ApiKey

KEYWORD = "Api-Key"


@dataclass(frozen=True)
class ApiKeyClient:
    """``request.user`` for a key: not a person, but DRF asks whether it is authenticated."""

    api_key: ApiKey
    is_authenticated: bool = True

    def __str__(self) -> str:
        return str(self.api_key)


class ApiKeyAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[ApiKeyClient, ApiKey] | None:
        header = authentication.get_authorization_header(request).decode(errors="replace")
        if not header:
            return None
        keyword, _, key = header.partition(" ")
        if keyword != KEYWORD or not key.strip():
            raise exceptions.AuthenticationFailed(
                gettext("use the header 'Authorization: %(keyword)s <key>'") % {"keyword": KEYWORD}
            )
        api_key = find_active_key(key.strip())
        if api_key is None:
            # One message for unknown and revoked keys: don't tell a caller which keys exist.
            raise exceptions.AuthenticationFailed(gettext("invalid or revoked API key"))
        touch(api_key)
        answer_in_restaurant_language(request._request, api_key)
        return ApiKeyClient(api_key), api_key

    def authenticate_header(self, request: Request) -> str:
        # Makes DRF answer 401 (with WWW-Authenticate) rather than 403 when no key is sent.
        return KEYWORD


class HasApiKey(permissions.BasePermission):
    def has_permission(self, request: Request, view) -> bool:
        return isinstance(request.auth, ApiKey)
