"""``ChannelHttp``: the HTTP client every channel module uses to call its channel's API.

Pure ``requests``, no Django: the platform injects a recorder (one record per
call) and, for OAuth, a token store. The client classifies every outcome and
raises; it never retries (the platform's outbox does, with backoff), except
once after a 401 when the auth strategy says a retry may succeed.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import requests

from .auth import AuthStrategy
from .error_parsing import ErrorParser, default_error_parser
from .errors import PermanentChannelError
from .records import CallRecorder, redact_url
from .response import ChannelResponse
from .sessions import session_for
from .transport import Timeout, Transport, UnauthorizedRetry

DEFAULT_HEADERS: dict[str, str] = {
    "Accept": "application/json",
    "User-Agent": "Sinqro-Channel-Client/1.0",
}


class ChannelHttp:
    """An HTTP client bound to one channel API (``base_url``) and one set of credentials (``auth``).

    Every call is recorded through ``recorder`` (redacted, bodies capped at
    ``body_cap``) and either returns a ``ChannelResponse`` (2xx) or raises
    ``RetryableChannelError`` (timeouts, connection errors, 408/425/429, 5xx)
    or ``PermanentChannelError`` (other 4xx, redirects, unusable requests).
    ``error_parser`` turns an error response into ``(channel_code, message)``;
    the default understands the common shapes. Without ``session``, a pooled
    session per base URL is used (see ``session_for``).
    """

    def __init__(
        self,
        base_url: str,
        *,
        auth: AuthStrategy | None = None,
        recorder: CallRecorder | None = None,
        timeout: Timeout = (3.05, 15.0),
        correlation_id: str | None = None,
        body_cap: int = 8192,
        error_parser: ErrorParser | None = None,
        session: requests.Session | None = None,
        default_headers: Mapping[str, str] | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.auth = auth
        self.default_headers = {**DEFAULT_HEADERS, **(default_headers or {})}
        origin = urlsplit(self.base_url)
        self._origin = (origin.scheme.lower(), origin.netloc.lower())
        self.transport = Transport(
            session=session if session is not None else session_for(f"{origin.scheme}://{origin.netloc}"),
            recorder=recorder,
            correlation_id=(correlation_id or uuid.uuid4().hex)[:64],
            body_cap=body_cap,
            timeout=timeout,
            error_parser=error_parser or default_error_parser,
            sensitive_headers=auth.sensitive_headers if auth is not None else (),
        )

    @property
    def correlation_id(self) -> str:
        return self.transport.correlation_id

    def url_for(self, path: str) -> str:
        """``base_url`` joined with ``path``. An absolute URL is accepted only on the base URL's origin."""
        if path.startswith(("http://", "https://")):
            parts = urlsplit(path)
            if (parts.scheme.lower(), parts.netloc.lower()) != self._origin:
                raise ValueError(f"Refusing to send credentials to another origin: {redact_url(path)}")
            return path
        return f"{self.base_url}/{path.lstrip('/')}"

    def request(
        self,
        method: str,
        path: str,
        *,
        operation: str,
        json: Any = None,
        data: Any = None,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: Timeout | None = None,
    ) -> ChannelResponse:
        """Call the channel and return its 2xx response, or raise a classified ``ChannelError``.

        ``operation`` names what we are doing (e.g. ``"get_order"``) in records,
        logs and errors. ``json`` is sent as a JSON body; ``data`` as a form or raw body.
        """
        url = self.url_for(path)
        merged_headers = {**self.default_headers, **(headers or {})}
        auth = self.auth
        for attempt in (1, 2):
            try:
                prepared = requests.Request(
                    method.upper(), url, json=json, data=data, params=params, headers=merged_headers
                ).prepare()
            except (requests.RequestException, ValueError) as exc:
                raise PermanentChannelError(f"Invalid request: {exc}", operation=operation) from None
            if auth is not None:
                auth.apply(prepared, self.transport)
            try:
                response = self.transport.send(
                    prepared,
                    operation=operation,
                    timeout=timeout,
                    retry_unauthorized=auth.on_unauthorized if auth is not None and attempt == 1 else None,
                )
            except UnauthorizedRetry:
                continue
            return ChannelResponse(
                status_code=response.status_code,
                headers=response.headers,
                content=response.content,
                url=redact_url(response.url or ""),
                operation=operation,
                encoding=response.encoding,
            )
        raise AssertionError("unreachable: the second attempt never asks for a retry")  # pragma: no cover

    def get(self, path: str, *, operation: str, **kwargs: Any) -> ChannelResponse:
        """``request("GET", …)``."""
        return self.request("GET", path, operation=operation, **kwargs)

    def post(self, path: str, *, operation: str, **kwargs: Any) -> ChannelResponse:
        """``request("POST", …)``."""
        return self.request("POST", path, operation=operation, **kwargs)

    def put(self, path: str, *, operation: str, **kwargs: Any) -> ChannelResponse:
        """``request("PUT", …)``."""
        return self.request("PUT", path, operation=operation, **kwargs)

    def patch(self, path: str, *, operation: str, **kwargs: Any) -> ChannelResponse:
        """``request("PATCH", …)``."""
        return self.request("PATCH", path, operation=operation, **kwargs)

    def delete(self, path: str, *, operation: str, **kwargs: Any) -> ChannelResponse:
        """``request("DELETE", …)``."""
        return self.request("DELETE", path, operation=operation, **kwargs)
