"""A successful channel response, as modules see it."""

from __future__ import annotations

import json as jsonlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import PermanentChannelError
from .records import cap_text
from .redaction import redact_text


@dataclass(frozen=True)
class ChannelResponse:
    """A 2xx answer from the channel.

    ``headers`` is case-insensitive. ``json()`` raises ``PermanentChannelError``
    when the body is not JSON (including an empty body).
    """

    status_code: int
    headers: Mapping[str, str]
    content: bytes
    url: str
    operation: str
    encoding: str | None = None

    @property
    def text(self) -> str:
        """The body decoded as text (undecodable bytes replaced)."""
        return self.content.decode(self.encoding or "utf-8", errors="replace")

    def json(self) -> Any:
        """The body parsed as JSON; ``PermanentChannelError`` if it is not JSON."""
        try:
            return jsonlib.loads(self.content)
        except (ValueError, UnicodeDecodeError):
            content_type = self.headers.get("Content-Type", "unknown")
            preview = cap_text(redact_text(self.text.strip()), 120) or "an empty body"
            raise PermanentChannelError(
                f"Expected a JSON body but got {content_type}: {preview}",
                status_code=self.status_code,
                operation=self.operation,
            ) from None

    @property
    def ok(self) -> bool:
        return 200 <= self.status_code < 300
