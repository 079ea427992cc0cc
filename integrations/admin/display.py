"""How admin pages show stored text (preformatted, JSON indented), times (the restaurant's clock) and long names."""

from __future__ import annotations

import json
from datetime import datetime

from django.utils.html import format_html
from django.utils.safestring import SafeString

from orders.admin_display import local_time, time_cell, truncated

from ..models import Connection


def pre(text: str) -> str:
    return format_html('<pre style="white-space: pre-wrap; max-width: 60rem">{}</pre>', text)


def pretty_json(text: str) -> str:
    """Indented when it is JSON, as it was otherwise."""
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except (ValueError, TypeError):
        return text


def restaurant_time(when: datetime | None, connection: Connection) -> str:
    """A time on the connection's restaurant's clock, the zone named (a page's field)."""
    return local_time(when, connection.restaurant.timezone)


def restaurant_time_cell(when: datetime | None, connection: Connection) -> SafeString | str:
    """The same for a list column: the zone on a line of its own, so the column stays narrow."""
    return time_cell(when, connection.restaurant.timezone)


def short_name(text: str) -> SafeString:
    """A restaurant's or connection's name cut for a list column, whole on hover."""
    return truncated(text)
