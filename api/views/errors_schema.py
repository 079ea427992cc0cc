"""The error responses, described once for the OpenAPI schema."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorDetail(serializers.Serializer):
    code = serializers.CharField(help_text="Stable, machine-readable, e.g. validation_error, invalid_transition")
    message = serializers.CharField(help_text="For a person")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Validation errors per field (nested fields with dots)",
    )


class ErrorResponse(serializers.Serializer):
    error = ErrorDetail()


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorResponse, description=description)


ERRORS = {
    400: _error("Invalid query parameters or body; `fields` names each one"),
    401: _error("No key, or an unknown or revoked key"),
    404: _error("Not found, or not one of the key's restaurants"),
}
ERRORS_WRITE = {**ERRORS, 409: _error("Not possible in the current state (the message says why)")}
