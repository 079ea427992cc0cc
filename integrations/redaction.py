"""Platform side of redaction: the logging filter ``LOGGING`` installs on every handler.

The masking itself lives in the channel SDK (``integrations.http.redaction``),
one implementation for call records, errors and logs. Its public names are
re-exported here so platform code keeps one import for "redaction"; code in
``integrations/http/`` imports the SDK module directly and never this one.
"""

from __future__ import annotations

import logging

from integrations.http.redaction import (
    MASK,
    SECRET_KEY_NAMES,
    redact_headers,
    redact_text,
    remember_secret,
    remember_secrets,
)

__all__ = [
    "MASK",
    "SECRET_KEY_NAMES",
    "RedactingFilter",
    "redact_headers",
    "redact_text",
    "remember_secret",
    "remember_secrets",
]


class RedactingFilter(logging.Filter):
    """Logging filter: the rendered message never carries a secret."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not lose the log line
            message = str(record.msg)
        redacted = redact_text(message)
        if redacted != message or record.args:
            record.msg = redacted
            record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = redact_text(logging.Formatter().formatException(record.exc_info))
        return True
