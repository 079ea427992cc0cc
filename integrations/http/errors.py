"""Errors a channel call can raise, already classified for the platform's retry policy.

A module author catches ``ChannelError`` (or lets it propagate): the platform
retries ``RetryableChannelError`` with backoff (honouring ``retry_after``) and
marks the job failed on ``PermanentChannelError``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from .redaction import redact_text

_MAX_MESSAGE = 500


class ChannelError(Exception):
    """A failed call to a channel. ``str()`` never carries a secret.

    Attributes:
        message: what went wrong; for 4xx responses, the channel's own error message.
        status_code: the HTTP status, or None when no response came (timeout, refused…).
        channel_code: the channel's own error code, when it sent one.
        retryable: whether trying again later may succeed.
        retry_after: seconds the channel asked us to wait (``Retry-After``), if any.
        operation: what we were doing, e.g. ``"get_order"``.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        channel_code: str | None = None,
        retryable: bool = False,
        retry_after: float | None = None,
        operation: str | None = None,
    ) -> None:
        self.message = _shorten(redact_text(message or ""))
        self.status_code = status_code
        self.channel_code = redact_text(channel_code) if channel_code else None
        self.retryable = retryable
        self.retry_after = retry_after
        self.operation = operation
        super().__init__(self._render())

    def _render(self) -> str:
        details = []
        if self.operation:
            details.append(self.operation)
        if self.status_code is not None:
            details.append(f"HTTP {self.status_code}")
        if self.channel_code:
            details.append(f"code {self.channel_code}")
        if self.retry_after is not None:
            details.append(f"retry after {self.retry_after:g}s")
        suffix = f" ({', '.join(details)})" if details else ""
        return redact_text(f"{self.message}{suffix}")

    def __str__(self) -> str:
        return self._render()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._render()!r})"


class RetryableChannelError(ChannelError):
    """Timeouts, connection errors, 5xx, 408 and 429: trying again later may succeed."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        channel_code: str | None = None,
        retry_after: float | None = None,
        operation: str | None = None,
    ) -> None:
        super().__init__(
            message,
            status_code=status_code,
            channel_code=channel_code,
            retryable=True,
            retry_after=retry_after,
            operation=operation,
        )


class PermanentChannelError(ChannelError):
    """Any other 4xx (and unusable responses): retrying the same call will fail again."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        channel_code: str | None = None,
        retry_after: float | None = None,
        operation: str | None = None,
    ) -> None:
        super().__init__(
            message,
            status_code=status_code,
            channel_code=channel_code,
            retryable=False,
            retry_after=retry_after,
            operation=operation,
        )


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delta-seconds or HTTP-date); None if absent/unreadable."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return max(0.0, seconds) if seconds == seconds else None  # NaN guard
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    now = now or datetime.now(UTC)
    return max(0.0, (when - now).total_seconds())


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    if len(text) > _MAX_MESSAGE:
        return text[:_MAX_MESSAGE] + "…"
    return text
