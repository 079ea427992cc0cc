"""Request and response objects, and the two ways a handler refuses a call.

Independent of ``http.server`` so handlers stay plain functions of a
:class:`Request`; the socket side lives in :mod:`.server`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

_UNREAD = object()
_EMPTY = object()


class HttpError(Exception):
    """Answer ``status`` with exactly ``body``: for a company's own odd shapes (``{"error": "invalid_client"}``)."""

    def __init__(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        super().__init__(f"{status}: {body}")
        self.status = status
        self.body = body
        self.headers = headers or {}


class ApiError(Exception):
    """Answer ``status`` with ``code`` and ``message`` in the company's error shape (:meth:`App.error_body`).

    The plumbing raises it too (no route, bad JSON), so its own refusals come
    out in the same shape as the handlers' and never as a 500.
    """

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    _parsed: Any = field(default=_UNREAD, repr=False)

    def json(self, empty: Any = None) -> Any:
        """The parsed body, ``empty`` when there is none; invalid JSON is a 400 ``invalid_json``.

        ``empty`` is the caller's because companies differ: the market reads a
        missing body as ``None`` (then "body must be an object"), the dialects as ``{}``.
        """
        if self._parsed is _UNREAD:
            if not self.body.strip():
                self._parsed = _EMPTY
            else:
                try:
                    self._parsed = json.loads(self.body)
                except ValueError as exc:  # UnicodeDecodeError included
                    raise ApiError(400, "invalid_json", f"the body is not valid JSON: {exc}") from exc
        return empty if self._parsed is _EMPTY else self._parsed

    def form(self) -> dict[str, str]:
        """A form-encoded body (OAuth token requests)."""
        return dict(parse_qsl(self.body.decode(errors="replace")))

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


@dataclass
class Response:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"

    def encode(self) -> bytes:
        """``None`` is no body at all (a 204), bytes and text go as they are, anything else as JSON."""
        if self.body is None:
            return b""
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode()
        return json.dumps(self.body, ensure_ascii=False).encode()


def ok(body: Any, status: int = 200) -> Response:
    return Response(status, body)
