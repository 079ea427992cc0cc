"""Turn a channel's error response into ``(channel_code, message)``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import requests

from .records import cap_text
from .redaction import redact_text

ErrorParser = Callable[[requests.Response], tuple[str | None, str]]

_FALLBACK_CAP = 300


def default_error_parser(response: requests.Response) -> tuple[str | None, str]:
    """Understands the common error shapes, falling back to the (capped) body text.

    - ``{"error": {"code": …, "message": …}}`` (Deliveroo, Sandbox Market)
    - ``{"code": …, "message": …}`` (Uber Eats) and ``{"message": …}``
    - ``{"error": "text"}`` and OAuth's ``{"error": "invalid_client", "error_description": …}``
    - ``{"errors": [{"code": …, "message": …}, …]}``
    - ``{"detail": …}`` / ``{"title": …}`` (problem+json)
    """
    code: str | None = None
    message = ""
    try:
        data: Any = response.json()
    except ValueError:
        data = None
    if isinstance(data, dict):
        code, message = _from_mapping(data)
    elif isinstance(data, list) and data and isinstance(data[0], dict):
        code, message = _from_mapping(data[0])
    if not message:
        text = response.content.decode(response.encoding or "utf-8", errors="replace").strip()
        message = cap_text(redact_text(text), _FALLBACK_CAP) if text else ""
    if not message:
        message = f"HTTP {response.status_code} {response.reason or ''}".strip()
    return code, message


def _from_mapping(data: dict[str, Any]) -> tuple[str | None, str]:
    error = data.get("error")
    if isinstance(error, dict):
        return _text(error.get("code") or error.get("type")), _text(error.get("message") or error.get("detail")) or ""
    if isinstance(error, str) and error:
        description = _text(data.get("error_description") or data.get("message")) or ""
        if description:
            return error, description
        return _text(data.get("code")), error
    errors = data.get("errors")
    if isinstance(errors, list) and errors:
        messages: list[str] = []
        code: str | None = None
        for item in errors:
            if isinstance(item, dict):
                code = code or _text(item.get("code"))
                messages.append(_text(item.get("message") or item.get("detail")) or "")
            elif isinstance(item, str):
                messages.append(item)
        message = "; ".join(m for m in messages if m)
        if message:
            return code, message
    message = _text(data.get("message") or data.get("detail") or data.get("title") or data.get("error_message")) or ""
    return _text(data.get("code") or data.get("error_code")), message


def _text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return str(value)
