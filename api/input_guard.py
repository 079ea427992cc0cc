"""What the POS API refuses before any view looks at it: bytes no column can hold, JSON too deep to walk.

PostgreSQL text cannot hold NUL, and a lone surrogate cannot be encoded as
UTF-8; either would surface as a 500 deep in a query. A body nested thousands
deep overflows Python's recursion in the JSON decoder or in a serializer.
Each becomes the API's own 4xx here, saying where the problem is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from rest_framework import exceptions
from rest_framework.metadata import BaseMetadata
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32  # a catalog is menu → section → product → option category → option: far below this
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def unstorable_reason(text: str) -> str | None:
    """Why ``text`` cannot be stored, or None."""
    found = UNSTORABLE.search(text)
    if found is None:
        return None
    return "contains a NUL character" if found.group() == "\x00" else "contains a lone UTF-16 surrogate"


def check_tree(data: Any, max_depth: int = MAX_DEPTH) -> None:
    """Refuse a parsed body deeper than ``max_depth`` or holding text no column can store (walked without recursion)."""
    stack: list[tuple[Any, int, str]] = [(data, 1, "")]
    while stack:
        value, depth, where = stack.pop()
        if isinstance(value, str):
            if reason := unstorable_reason(value):
                raise exceptions.ParseError(f"The value at {where or 'the top'} {reason}.")
            continue
        if not isinstance(value, Mapping | list):
            continue
        if depth > max_depth:
            raise exceptions.ParseError(f"JSON nested more than {max_depth} levels deep.")
        items = value.items() if isinstance(value, Mapping) else enumerate(value)
        for key, child in items:
            if isinstance(key, str) and (reason := unstorable_reason(key)):
                raise exceptions.ParseError(f"A key at {where or 'the top'} {reason}.")
            stack.append((child, depth + 1, f"{where}.{key}" if where else str(key)))


class PosJsonParser(JSONParser):
    """DRF's JSON parser, plus the depth and text checks above."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(f"JSON parse error - nested more than {MAX_DEPTH} levels deep.") from None
        check_tree(data)
        return data


def check_request_text(path: str, query: Mapping[str, Any]) -> None:
    """A path or query parameter no column can hold: the path names nothing, the parameter is invalid."""
    if reason := unstorable_reason(path):
        raise exceptions.NotFound(f"No such resource: the path {reason}.")
    for name in query:
        for value in query.getlist(name) if hasattr(query, "getlist") else [query[name]]:
            if (reason := unstorable_reason(name)) or (reason := unstorable_reason(value)):
                raise exceptions.ValidationError({name: [f"The parameter {reason}."]})


class PosApiMetadata(BaseMetadata):
    """What OPTIONS answers: the operation's name and formats; the bodies are described by the OpenAPI schema.

    DRF's default builds each write serializer to describe it, which fails for
    serializers that need the restaurant in their context.
    """

    def determine_metadata(self, request: Any, view: Any) -> dict[str, Any]:
        return {
            "name": view.get_view_name(),
            "description": view.get_view_description(),
            "renders": [renderer.media_type for renderer in view.renderer_classes],
            "parses": [parser.media_type for parser in view.parser_classes],
            "schema": "/api/v1/schema/",
        }
