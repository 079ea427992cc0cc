"""Errors a module raises; the platform turns each into the right answer or job state."""

from __future__ import annotations

from integrations.http import ChannelError, PermanentChannelError, RetryableChannelError


class WebhookRejected(Exception):
    """Raised by ``verify_webhook``: the request is not authentic. Answered 401/403 with ``reason``.

    The reason goes back to the sender, so it must never echo a secret.
    """

    def __init__(self, reason: str, status_code: int = 401) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status_code = status_code


class MalformedWebhook(Exception):
    """Raised by ``parse_webhook``: authentic, but not something we can read."""


class FeatureNotSupported(Exception):
    """A client method for a feature the module does not declare."""


class UnmappedStatus(Exception):
    """A status with no mapping in the module's status map."""


__all__ = [
    "ChannelError",
    "FeatureNotSupported",
    "MalformedWebhook",
    "PermanentChannelError",
    "RetryableChannelError",
    "UnmappedStatus",
    "WebhookRejected",
]
