"""How admin pages write a time and a long name: in the restaurant's timezone with the zone named, cut with a title."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils.html import format_html
from django.utils.safestring import SafeString

NAME_LIMIT = 28
"""Characters of a restaurant or connection name a list column shows; the rest is in the title."""


def zone_of(timezone_name: str | None) -> ZoneInfo:
    """The restaurant's zone; UTC when it has none we can read (the page still names the zone it used)."""
    try:
        return ZoneInfo(timezone_name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_time(when: datetime | None, timezone_name: str | None, *, seconds: bool = False, date: bool = True) -> str:
    """``2026-12-01 13:05 Europe/Madrid``: the instant on the restaurant's clock, the zone always said."""
    if when is None:
        return "—"
    zone = zone_of(timezone_name)
    pattern = ("%Y-%m-%d " if date else "") + ("%H:%M:%S" if seconds else "%H:%M")
    return f"{when.astimezone(zone).strftime(pattern)} {zone.key}"


def time_cell(when: datetime | None, timezone_name: str | None) -> SafeString | str:
    """A list column's time: ``2026-12-01 13:05`` on one line, the zone under it, so the column stays narrow."""
    if when is None:
        return "—"
    zone = zone_of(timezone_name)
    return format_html('<span style="white-space: nowrap">{}</span><br><small>{}</small>',
                       when.astimezone(zone).strftime("%Y-%m-%d %H:%M"), zone.key)


def truncated(text: str, limit: int = NAME_LIMIT, title: str | None = None) -> SafeString:
    """The name cut to ``limit`` characters, whole in the title (or ``title``), so list columns keep their width."""
    text = str(text)
    shown = text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
    return format_html('<span title="{}" style="white-space: nowrap">{}</span>', title or text, shown)
