"""Reading a channel's JSON: the one seam every module decodes its payloads through.

A module decodes every payload it translates (a webhook body, a GET response)
with ``read_json(body)`` or, for an already-decoded response, ``tracked(data)``.
In production both return plain dicts and lists (one context-variable lookup
more than ``json.loads``). Under the contract kit, inside ``reading()``, they
return dict and list subclasses that note every key path the translation
reads, so the kit can fail on a field the channel sent that the module neither
read nor declared ignored (``ChannelModule.ignored_fields``).

Paths name a field from the payload's root: keys joined with ``.``, ``[]`` for
the items of a list (``cart.items[].selected_modifier_groups[].title``). A key
is read when its value is taken (``data["x"]``, ``data.get("x")``, iterating
``items()`` / ``values()``, copying with ``dict(data)``); asking whether a key
is there (``"x" in data``) reads nothing. A value the tracking cannot see (a
C-level copy such as ``json.dumps``) counts as not read: the kit then fails,
it never passes on a field nobody looked at.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any


@dataclass
class ReadLog:
    """The key paths read while it was active (see ``reading``)."""

    paths: set[str] = field(default_factory=set)


_active: ContextVar[ReadLog | None] = ContextVar("channel_payload_read_log", default=None)


def read_json(body: bytes | str) -> Any:
    """``json.loads(body)``, tracked under the contract kit. Raises ``ValueError`` on invalid JSON."""
    return tracked(json.loads(body))


def tracked(data: Any) -> Any:
    """``data`` itself in production; under the kit a view of it that records what is read."""
    log = _active.get()
    if log is None:
        return data
    return _wrap(data, "", log)


@contextmanager
def reading() -> Iterator[ReadLog]:
    """Record the paths read from every payload decoded through this module while the block runs."""
    log = ReadLog()
    token = _active.set(log)
    try:
        yield log
    finally:
        _active.reset(token)


def _child(path: str, key: object) -> str:
    return f"{path}.{key}" if path else str(key)


def _wrap(value: Any, path: str, log: ReadLog) -> Any:
    if isinstance(value, dict) and not isinstance(value, TrackedDict):
        return TrackedDict(value, path, log)
    if isinstance(value, list) and not isinstance(value, TrackedList):
        return TrackedList(value, path, log)
    return value


class TrackedDict(dict):
    """A JSON object that records each key read (a ``dict``, so ``isinstance(x, dict)`` still holds)."""

    def __init__(self, data: Mapping[str, Any], path: str, log: ReadLog) -> None:
        super().__init__(data)
        self._path = path
        self._log = log

    def __getitem__(self, key: str) -> Any:
        value = super().__getitem__(key)
        path = _child(self._path, key)
        self._log.paths.add(path)
        return _wrap(value, path, self._log)

    def get(self, key: str, default: Any = None) -> Any:
        return self[key] if dict.__contains__(self, key) else default

    def pop(self, key: str, *default: Any) -> Any:
        if dict.__contains__(self, key):
            value = self[key]
            super().pop(key)
            return value
        return super().pop(key, *default)

    def setdefault(self, key: str, default: Any = None) -> Any:
        if not dict.__contains__(self, key):
            super().__setitem__(key, default)
        return self[key]

    def __iter__(self) -> Iterator[str]:
        return iter(list(dict.keys(self)))

    def items(self) -> list[tuple[str, Any]]:  # type: ignore[override]
        return [(key, self[key]) for key in dict.keys(self)]

    def values(self) -> list[Any]:  # type: ignore[override]
        return [self[key] for key in dict.keys(self)]

    def copy(self) -> dict[str, Any]:
        return dict(self.items())

    def __reduce__(self) -> Any:  # pickling / deepcopy: a plain dict
        return (dict, (dict(dict.items(self)),))


class TrackedList(list):
    """A JSON array whose items are read under ``<path>[]``."""

    def __init__(self, data: list[Any], path: str, log: ReadLog) -> None:
        super().__init__(data)
        self._path = path
        self._log = log

    def _item(self, value: Any) -> Any:
        path = f"{self._path}[]"
        self._log.paths.add(path)
        return _wrap(value, path, self._log)

    def __getitem__(self, index: Any) -> Any:
        value = super().__getitem__(index)
        if isinstance(index, slice):
            return TrackedList(value, self._path, self._log)
        return self._item(value)

    def __iter__(self) -> Iterator[Any]:
        for value in list.__iter__(self):
            yield self._item(value)

    def __reversed__(self) -> Iterator[Any]:
        for value in list.__reversed__(self):
            yield self._item(value)

    def __reduce__(self) -> Any:
        return (list, (list(list.__iter__(self)),))


# --- what a payload holds, and what of it is accounted for ---------------------------------------


def field_paths(data: Any, path: str = "") -> set[str]:
    """Every leaf of ``data``: the path of each scalar, null, empty object or empty list."""
    if isinstance(data, dict) and data:
        found: set[str] = set()
        for key, value in data.items():
            found |= field_paths(value, _child(path, key))
        return found
    if isinstance(data, list) and data:
        found = set()
        for value in data:
            found |= field_paths(value, f"{path}[]")
        return found
    return {path} if path else set()


def _segments(path: str) -> list[str]:
    return path.split(".") if path else []


def _match(pattern: list[str], path: list[str]) -> bool:
    if not pattern:
        return not path
    head, rest = pattern[0], pattern[1:]
    if head == "**":
        return any(_match(rest, path[i:]) for i in range(len(path) + 1))
    if not path:
        return False
    if head == "*" or head == path[0] or f"{head}[]" == path[0]:
        return _match(rest, path[1:])
    return False


def covers(pattern: str, path: str) -> bool:
    """Whether a declared path covers ``path``: equal, or an ancestor of it.

    ``*`` stands for any one segment, ``**`` for any number of them (``**.formatted_amount`` is that key
    at any depth); ``store`` covers ``store.id`` and ``store.name``, ``eaters`` covers ``eaters[].id``.
    """
    wanted, segments = _segments(pattern), _segments(path)
    return any(_match(wanted, segments[:end]) for end in range(1, len(segments) + 1))


@dataclass(frozen=True)
class FieldAccount:
    """What became of each field of one payload."""

    unaccounted: tuple[str, ...]
    """Neither read nor declared ignored nor a known gap: the kit fails on these."""
    known_gaps: tuple[str, ...]
    """Not read, listed as a known defect of the module."""
    ignored_but_read: tuple[str, ...]
    """Declared ignored, yet the module reads them: the declaration is stale."""


def account_for(
    data: Any, read: set[str], ignored: Mapping[str, str], known_gaps: Mapping[str, str]
) -> FieldAccount:
    unaccounted, gaps, stale = [], [], []
    for path in sorted(field_paths(data)):
        ignored_by = next((pattern for pattern in ignored if covers(pattern, path)), None)
        if path in read:
            if ignored_by is not None:
                stale.append(path)
            continue
        if ignored_by is not None:
            continue
        if any(covers(pattern, path) for pattern in known_gaps):
            gaps.append(path)
        else:
            unaccounted.append(path)
    return FieldAccount(tuple(unaccounted), tuple(gaps), tuple(stale))
