"""Typed credentials schemas. Secret fields are ``SecretStr``: masked in every repr."""

from __future__ import annotations

from typing import Any, get_args

from pydantic import BaseModel, ConfigDict, SecretStr, ValidationError


class ChannelCredentials(BaseModel):
    """Base for a module's credentials; subclass and declare fields.

    Use ``SecretStr`` for anything secret: the admin never shows it back, logs
    and call records mask it, and ``repr`` prints stars.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    @classmethod
    def secret_fields(cls) -> list[str]:
        return [
            name
            for name, info in cls.model_fields.items()
            if info.annotation is SecretStr or SecretStr in get_args(info.annotation)
        ]

    @classmethod
    def plain_fields(cls) -> list[str]:
        return [name for name in cls.model_fields if name not in cls.secret_fields()]

    @classmethod
    def required_fields(cls) -> list[str]:
        return [name for name, info in cls.model_fields.items() if info.is_required()]

    def secret_values(self) -> list[str]:
        return [getattr(self, name).get_secret_value() for name in self.secret_fields() if getattr(self, name)]

    def to_storage(self) -> dict[str, Any]:
        """The clear dict that is encrypted at rest."""
        data: dict[str, Any] = {}
        for name in type(self).model_fields:
            value = getattr(self, name)
            if value is not None:
                data[name] = value.get_secret_value() if isinstance(value, SecretStr) else value
        return data


def credential_errors(error: ValidationError) -> dict[str, str]:
    """Per-field messages from a validation error, without echoing any input value."""
    messages: dict[str, str] = {}
    for item in error.errors(include_input=False, include_url=False):
        name = ".".join(str(part) for part in item["loc"]) or "__all__"
        messages.setdefault(name, item["msg"])
    return messages
