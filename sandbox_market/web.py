"""Tiny request/response types and the route table, independent of http.server.

Handlers take a :class:`Request` and return a :class:`Response`; that keeps
them testable and keeps all socket/HTTP concerns in :mod:`server`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from .errors import ApiError, bad_request

if TYPE_CHECKING:
    from .app import Market

_UNSET = object()


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    _json: Any = field(default=_UNSET, repr=False)

    def json(self) -> Any:
        """The parsed body (``None`` when empty); invalid JSON is a 400 ``invalid_json``."""
        if self._json is _UNSET:
            if not self.body.strip():
                self._json = None
            else:
                try:
                    self._json = json.loads(self.body)
                except (ValueError, UnicodeDecodeError) as exc:
                    raise bad_request("invalid_json", f"the body is not valid JSON: {exc}") from exc
        return self._json

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


@dataclass
class Response:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"

    def encode(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode()
        return json.dumps(self.body, ensure_ascii=False).encode()


Handler = Callable[..., Response]


@dataclass
class Route:
    method: str
    pattern: re.Pattern[str]
    handler: Handler


def route(method: str, template: str, handler: Handler) -> Route:
    """``/api/v2/stores/<store_ref>/tickets/<ticket_id>`` -> a regex with named groups."""
    regex = re.sub(r"<(\w+)>", r"(?P<\1>[^/]+)", template)
    return Route(method, re.compile(f"^{regex}$"), handler)


def resolve(routes: list[Route], method: str, path: str) -> tuple[Handler, dict[str, str]]:
    allowed = []
    for r in routes:
        match = r.pattern.match(path)
        if match is None:
            continue
        if r.method == method:
            return r.handler, {k: unquote(v) for k, v in match.groupdict().items()}
        allowed.append(r.method)
    if allowed:
        raise ApiError(405, "method_not_allowed", f"{method} is not allowed on {path}",
                       {"Allow": ", ".join(sorted(set(allowed)))})
    raise ApiError(404, "not_found", f"no route for {path}")


def ok(body: Any, status: int = 200) -> Response:
    return Response(status, body)


MarketHandler = Callable[["Market", Request], Response]
