"""Send one prepared request, classify the outcome, record it, raise the classified error.

Shared by the client and by auth strategies that make their own calls (the
OAuth token request), so every exchange with a channel is recorded the same way.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import requests

from .error_parsing import ErrorParser, default_error_parser
from .errors import ChannelError, PermanentChannelError, RetryableChannelError, parse_retry_after
from .records import CallRecord, CallRecorder, Outcome, body_text, clean_headers, redact_and_cap, redact_url
from .redaction import redact_text
from .sessions import new_session

logger = logging.getLogger("integrations.http")

Timeout = tuple[float, float]

RETRYABLE_STATUSES = frozenset({408, 425, 429})


class UnauthorizedRetry(Exception):
    """Internal: the call got a 401 and the auth strategy says one retry may succeed."""


@dataclass
class Transport:
    """Everything needed to make and record one call; one per client (auth strategies borrow it)."""

    session: requests.Session = field(default_factory=new_session)
    recorder: CallRecorder | None = None
    correlation_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    body_cap: int = 8192
    timeout: Timeout = (3.05, 15.0)
    error_parser: ErrorParser = default_error_parser
    sensitive_headers: tuple[str, ...] = ()

    def send(
        self,
        prepared: requests.PreparedRequest,
        *,
        operation: str,
        timeout: Timeout | None = None,
        on_response: Callable[[requests.Response], None] | None = None,
        retry_unauthorized: Callable[[], bool] | None = None,
    ) -> requests.Response:
        """Send ``prepared``; return the 2xx response or raise a classified ``ChannelError``.

        Every attempt is recorded. ``on_response`` runs before recording (e.g. to
        remember a freshly issued token so the record masks it). On a 401,
        ``retry_unauthorized`` is asked whether a retry may succeed; if so this
        raises ``UnauthorizedRetry`` for the caller to resend once.
        """
        started = time.monotonic()
        url = prepared.url or ""
        try:
            settings = self.session.merge_environment_settings(url, {}, None, None, None)
            response = self.session.send(
                prepared,
                timeout=timeout or self.timeout,
                allow_redirects=False,
                proxies=settings.get("proxies") or {},
                verify=settings.get("verify", True),
                cert=settings.get("cert"),
            )
        except requests.Timeout as exc:
            error: ChannelError = RetryableChannelError(
                f"Timed out calling the channel: {_describe(exc)}", operation=operation
            )
            self._record(prepared, operation, started, None, "retryable", str(error))
            raise error from None
        except requests.ConnectionError as exc:
            error = RetryableChannelError(f"Could not connect to the channel: {_describe(exc)}", operation=operation)
            self._record(prepared, operation, started, None, "retryable", str(error))
            raise error from None
        except requests.RequestException as exc:
            error = PermanentChannelError(f"Could not send the request: {_describe(exc)}", operation=operation)
            self._record(prepared, operation, started, None, "permanent", str(error))
            raise error from None

        if on_response is not None:
            try:
                on_response(response)
            except Exception as exc:  # a hook must not lose the record
                logger.warning("Response hook failed for %s: %s", operation, redact_text(repr(exc)))

        status = response.status_code
        if 200 <= status < 300:
            self._record(prepared, operation, started, response, "ok", "")
            return response

        error = self.classify(response, operation)
        if status == 401 and retry_unauthorized is not None and retry_unauthorized():
            note = f"{error}; credentials refreshed, retrying once"
            self._record(prepared, operation, started, response, "retryable", note)
            raise UnauthorizedRetry
        outcome: Outcome = "retryable" if error.retryable else "permanent"
        self._record(prepared, operation, started, response, outcome, str(error))
        raise error

    def classify(self, response: requests.Response, operation: str) -> ChannelError:
        """The error a non-2xx response stands for."""
        status = response.status_code
        try:
            code, message = self.error_parser(response)
        except Exception as exc:  # a module's parser must not hide the failure
            logger.warning("Error parser failed for %s: %s", operation, redact_text(repr(exc)))
            code, message = default_error_parser(response)
        if 300 <= status < 400:
            location = redact_url(response.headers.get("Location", ""))
            return PermanentChannelError(
                f"Unexpected redirect to {location or 'nowhere'} (redirects are not followed)",
                status_code=status,
                operation=operation,
            )
        if status >= 500 or status in RETRYABLE_STATUSES:
            return RetryableChannelError(
                message,
                status_code=status,
                channel_code=code,
                retry_after=parse_retry_after(response.headers.get("Retry-After")),
                operation=operation,
            )
        return PermanentChannelError(message, status_code=status, channel_code=code, operation=operation)

    def _record(
        self,
        prepared: requests.PreparedRequest,
        operation: str,
        started: float,
        response: requests.Response | None,
        outcome: Outcome,
        error: str,
    ) -> None:
        duration_ms = int((time.monotonic() - started) * 1000)
        url = redact_url(prepared.url or "")
        method = prepared.method or ""
        status = response.status_code if response is not None else None
        log = logger.info if outcome == "ok" else logger.warning
        log(
            "channel call %s %s %s -> %s in %dms%s",
            operation,
            method,
            url,
            status if status is not None else outcome,
            duration_ms,
            f": {redact_text(error)}" if error else "",
        )
        if self.recorder is None:
            return
        try:
            record = CallRecord(
                operation=operation,
                correlation_id=self.correlation_id,
                method=method,
                url=url,
                request_headers=clean_headers(prepared.headers, self.sensitive_headers),
                request_body=redact_and_cap(body_text(prepared.body), self.body_cap),
                status_code=status,
                response_headers=(
                    clean_headers(response.headers, self.sensitive_headers) if response is not None else {}
                ),
                response_body=(
                    redact_and_cap(body_text(response.content, response.encoding), self.body_cap)
                    if response is not None
                    else ""
                ),
                duration_ms=duration_ms,
                outcome=outcome,
                error=redact_text(error),
            )
            self.recorder(record)
        except Exception as exc:  # recording must never break a channel call
            logger.error("Could not record channel call %s: %s", operation, redact_text(repr(exc)))


def _describe(exc: BaseException) -> str:
    """A short, redacted description of a transport exception (urllib3 reprs are long)."""
    text = str(exc) or type(exc).__name__
    return redact_text(text[:300])
