"""Reading a manifest's YAML while keeping where each value was written, so every error can name its line.

PyYAML composes the document into nodes that carry their start marks; we build the plain data from those
nodes ourselves and note, for each path (a tuple of keys and list indexes), the line it starts on. A key's
line is the line of the key, so ``features.get_order`` points at ``get_order:`` even when its value is a
block on the lines below.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

Path = tuple[str | int, ...]


class ManifestSyntaxError(ValueError):
    """The file is not YAML, or not the one mapping a manifest is; ``line`` says where."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


@dataclass
class LinedDocument:
    """The manifest's data and, for each path in it, the line (1-based) where it is written."""

    data: Any
    lines: dict[Path, int] = field(default_factory=dict)

    def line_of(self, path: Path) -> int | None:
        """The line of ``path``, or of its nearest written ancestor (a missing key is reported at its parent)."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), None)


def load_lined(text: str) -> LinedDocument:
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise ManifestSyntaxError("the file is empty: a manifest is a YAML mapping (slug, name, features…)", 1)
        document = LinedDocument(data=None)
        document.data = _build(loader, node, (), document.lines)
        return document
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise ManifestSyntaxError(f"not valid YAML: {exc.problem or exc}", mark.line + 1 if mark else None) from None
    finally:
        loader.dispose()


def _build(loader: yaml.SafeLoader, node: Node, path: Path, lines: dict[Path, int]) -> Any:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, MappingNode):
        loader.flatten_mapping(node)
        data: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise ManifestSyntaxError("a key must be a plain word", key_node.start_mark.line + 1)
            key = loader.construct_object(key_node)
            if not isinstance(key, str):
                key = str(key).lower() if isinstance(key, bool) else str(key)
            if key in data:
                raise ManifestSyntaxError(f"{key!r} is written twice in the same mapping",
                                          key_node.start_mark.line + 1)
            lines[(*path, key)] = key_node.start_mark.line + 1
            data[key] = _build(loader, value_node, (*path, key), lines)
        return data
    if isinstance(node, SequenceNode):
        return [_build(loader, item, (*path, index), lines) for index, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)
