"""How admin pages show stored text: preformatted, JSON indented."""

from __future__ import annotations

import json

from django.utils.html import format_html


def pre(text: str) -> str:
    return format_html('<pre style="white-space: pre-wrap; max-width: 60rem">{}</pre>', text)


def pretty_json(text: str) -> str:
    """Indented when it is JSON, as it was otherwise."""
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except (ValueError, TypeError):
        return text
