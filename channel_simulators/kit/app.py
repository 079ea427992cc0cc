"""Routing, and :class:`App`: one simulated company's routes, error shape and life cycle.

Every failure in a handler becomes an answer here: a refusal in the
company's own shape, an unexpected exception a logged 500. The serving
thread always survives.
"""

from __future__ import annotations

import re
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from .http import ApiError, HttpError, Request, Response

Handler = Callable[..., Response]


@dataclass(frozen=True)
class Route:
    method: str
    pattern: re.Pattern[str]
    handler: Handler


def route(method: str, template: str, handler: Handler) -> Route:
    """``/api/v2/stores/<store_ref>/tickets/<ticket_id>``: each ``<name>`` is one path segment."""
    regex = re.sub(r"<(\w+)>", r"(?P<\1>[^/]+)", template)
    return Route(method, re.compile(f"^{regex}$"), handler)


def resolve(routes: list[Route], method: str, path: str) -> tuple[Handler, dict[str, str]]:
    """The handler and its (unquoted) path parameters; 405 with ``Allow`` when only the method is wrong."""
    allowed = []
    for candidate in routes:
        match = candidate.pattern.match(path)
        if match is None:
            continue
        if candidate.method == method:
            return candidate.handler, {k: unquote(v) for k, v in match.groupdict().items()}
        allowed.append(candidate.method)
    if allowed:
        raise ApiError(405, "method_not_allowed", f"{method} is not allowed on {path}",
                       {"Allow": ", ".join(sorted(set(allowed)))})
    raise ApiError(404, "not_found", f"no route for {method} {path}")


class App:
    """A simulated company as the server sees it. Subclasses set ``name`` and ``routes``."""

    name = "simulator"
    server_version = "BaseHTTP/0.6"  # http.server's own; the market names itself
    routes: list[Route]
    base_url = ""  # set by the server once the port is known, for links in webhooks

    def error_body(self, code: str, message: str) -> Any:
        """This company's error shape, used for every :class:`ApiError` (the plumbing's included)."""
        return {"code": code, "message": message}

    def error(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Response:
        return Response(status, self.error_body(code, message), dict(headers or {}))

    def dispatch(self, handler: Handler, request: Request, params: dict[str, str]) -> Response:
        """Call the handler; an App whose handlers take more than the request (the market's state) overrides it."""
        return handler(request, **params)

    def handle(self, request: Request) -> Response:
        try:
            handler, params = resolve(self.routes, request.method, request.path)
            return self.dispatch(handler, request, params)
        except ApiError as exc:
            return self.error(exc.status, exc.code, exc.message, exc.headers)
        except HttpError as exc:
            return Response(exc.status, exc.body, dict(exc.headers))
        except Exception:
            traceback.print_exc(file=sys.stderr)
            return self.error(500, "internal_error", f"unexpected error in {self.name}")

    def start(self) -> None:
        """Called once the server listens (background work such as webhook retries starts here)."""

    def close(self) -> None:
        """Called when the server has stopped."""
