"""Typed readers for JSON bodies that fail with a 422 naming the offending path.

JSON gives us ``bool`` as a subclass of ``int`` and floats for anything; these
helpers draw the lines once so every handler validates the same way.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .clock import parse_iso
from .errors import ApiError, unprocessable

_MISSING = object()


def obj(value: Any, path: str, code: str = "invalid_request") -> dict[str, Any]:
    if not isinstance(value, dict):
        raise unprocessable(code, f"{path} must be an object")
    return value


def lst(value: Any, path: str, code: str = "invalid_request") -> list[Any]:
    if not isinstance(value, list):
        raise unprocessable(code, f"{path} must be a list")
    return value


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


class Reader:
    """Reads fields of one JSON object, prefixing error messages with its path."""

    def __init__(self, data: Any, path: str = "body", code: str = "invalid_request") -> None:
        self.path = path
        self.code = code
        self.data = obj(data, path, code)

    def _p(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path != "body" else key

    def fail(self, key: str, what: str) -> ApiError:
        return unprocessable(self.code, f"{self._p(key)} {what}")

    def has(self, key: str) -> bool:
        return key in self.data

    def string(self, key: str, *, required: bool = True, default: str | None = "", nonempty: bool = True,
               max_len: int = 2000) -> str | None:
        value = self.data.get(key, _MISSING)
        if value is _MISSING or value is None:
            if required:
                raise self.fail(key, "is required")
            return default
        if not isinstance(value, str) or (nonempty and not value.strip()) or len(value) > max_len:
            raise self.fail(key, "must be a non-empty string" if nonempty else "must be a string")
        return value

    def integer(self, key: str, *, required: bool = True, default: int | None = None, minimum: int | None = None,
                maximum: int | None = None) -> int | None:
        value = self.data.get(key, _MISSING)
        if value is _MISSING or value is None:
            if required:
                raise self.fail(key, "is required")
            return default
        if not is_int(value) or (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            bounds = []
            if minimum is not None:
                bounds.append(f">= {minimum}")
            if maximum is not None:
                bounds.append(f"<= {maximum}")
            raise self.fail(key, "must be an integer" + (" " + " and ".join(bounds) if bounds else ""))
        return value

    def number(self, key: str, *, required: bool = True, default: float | None = None, minimum: float | None = None,
               maximum: float | None = None) -> float | None:
        value = self.data.get(key, _MISSING)
        if value is _MISSING or value is None:
            if required:
                raise self.fail(key, "is required")
            return default
        if not is_number(value) or (minimum is not None and value < minimum) or (
                maximum is not None and value > maximum):
            raise self.fail(key, f"must be a number between {minimum} and {maximum}")
        return value

    def boolean(self, key: str, *, required: bool = True, default: bool | None = None) -> bool | None:
        value = self.data.get(key, _MISSING)
        if value is _MISSING or value is None:
            if required:
                raise self.fail(key, "is required")
            return default
        if not isinstance(value, bool):
            raise self.fail(key, "must be true or false")
        return value

    def choice(self, key: str, choices: tuple[str, ...], *, required: bool = True, default: str | None = None,
               code: str | None = None) -> str | None:
        value = self.data.get(key, _MISSING)
        if value is _MISSING or value is None:
            if required:
                raise self.fail(key, "is required")
            return default
        if value not in choices:
            raise unprocessable(code or self.code, f"{self._p(key)} must be one of {', '.join(choices)}")
        return value

    def moment(self, key: str, *, required: bool = True) -> datetime | None:
        value = self.data.get(key, _MISSING)
        if value is _MISSING or value is None:
            if required:
                raise self.fail(key, "is required")
            return None
        parsed = parse_iso(value)
        if parsed is None:
            raise self.fail(key, "must be an ISO-8601 date-time")
        return parsed
