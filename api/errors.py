"""One error shape for the whole API: ``{"error": {"code", "message", "fields"}}``.

A POS developer writes one error branch; validation errors name the field
(nested ones with dots, e.g. ``products.0.price``).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler


class Conflict(exceptions.APIException):
    """The request is well-formed but the order (or restaurant) is not in a state that allows it."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = gettext_lazy("The request conflicts with the current state.")

    def __init__(self, detail: str, code: str = "conflict") -> None:
        super().__init__(detail, code)
        self.error_code = code


def field_error(field: str, message: str) -> exceptions.ValidationError:
    return exceptions.ValidationError({field: [message]})


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    response.data = {"error": _error_body(exc)}
    return response


def _error_body(exc: exceptions.APIException) -> dict[str, Any]:
    if isinstance(exc, exceptions.ValidationError):
        fields: dict[str, list[str]] = {}
        _flatten(exc.detail, "", fields)
        general = fields.pop("non_field_errors", None) or fields.pop("", None)
        message = general[0] if general else _("Invalid input: %(fields)s") % {
            "fields": "; ".join(f"{name}: {messages[0]}" for name, messages in fields.items())
        }
        return {"code": "validation_error", "message": message, "fields": fields}
    code = getattr(exc, "error_code", None) or exc.default_code
    return {"code": str(code), "message": _text(exc.detail), "fields": {}}


def _flatten(detail: Any, prefix: str, out: dict[str, list[str]]) -> None:
    if isinstance(detail, dict):
        for key, value in detail.items():
            _flatten(value, f"{prefix}.{key}" if prefix else str(key), out)
    elif isinstance(detail, list) and detail and all(isinstance(item, str) for item in detail):
        out.setdefault(prefix, []).extend(str(item) for item in detail)
    elif isinstance(detail, list):
        for index, value in enumerate(detail):
            if value:  # DRF reports list items without errors as {}
                _flatten(value, f"{prefix}.{index}" if prefix else str(index), out)
    else:
        out.setdefault(prefix, []).append(str(detail))


def _text(detail: Any) -> str:
    if isinstance(detail, list):
        return " ".join(_text(item) for item in detail)
    if isinstance(detail, dict):
        return " ".join(f"{key}: {_text(value)}" for key, value in detail.items())
    return str(detail)


def no_such_endpoint(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Any path under ``/api/v1/`` no route matches: the API's error shape, not Django's HTML page."""
    message = _("No API endpoint at this path; the operations are listed at /api/v1/docs/.")
    return JsonResponse({"error": {"code": "not_found", "message": message, "fields": {}}}, status=404)
