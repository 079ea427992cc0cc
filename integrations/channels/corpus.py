"""A module's conformance corpus: the channel's documented payloads and what each one means.

Each module ships ``integrations/channels/<slug>/corpus/``: ``<name>.json`` (what the channel sends, or what
we must send, with the documentation page it follows) and ``<name>.expected.json`` (its meaning, written from
the documentation, independently of the module). The format is described in
``docs/channels/corpus/README.md``; the contract kit runs every case.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .base import ChannelModule

KINDS = ("webhook", "get_order", "request")


@dataclass(frozen=True)
class CorpusCase:
    """One fixture and its expected result."""

    name: str
    fixture: dict[str, Any]
    expected: dict[str, Any]

    @property
    def kind(self) -> str:
        return self.fixture["kind"]

    @property
    def payload(self) -> Any:
        return self.fixture.get("payload")

    @property
    def body(self) -> bytes:
        """A webhook's exact bytes (``raw_body``), else the payload as compact JSON."""
        raw = self.fixture.get("raw_body")
        if raw is not None:
            return raw.encode()
        return json.dumps(self.payload, separators=(",", ":")).encode()

    @property
    def headers(self) -> dict[str, str]:
        return dict(self.fixture.get("headers") or {})

    @property
    def request(self) -> dict[str, Any]:
        return dict(self.fixture.get("request") or {})

    @property
    def request_path(self) -> str:
        return urlsplit(self.request.get("url", "")).path

    def __str__(self) -> str:
        return self.name


def corpus_directory(module_class: type[ChannelModule]) -> Path:
    """``corpus/`` beside the module's package (``integrations/channels/<slug>/corpus``)."""
    return Path(sys.modules[module_class.__module__].__file__).parent / "corpus"


def load_corpus(directory: Path) -> list[CorpusCase]:
    """Every case in ``directory``, sorted by name. A fixture without its expected file is an error."""
    if not directory.is_dir():
        return []
    cases = []
    for path in sorted(directory.glob("*.json")):
        if path.name.endswith(".expected.json"):
            continue
        expected_path = path.with_name(path.stem + ".expected.json")
        if not expected_path.exists():
            raise FileNotFoundError(f"{path.name} has no {expected_path.name}: write its expected result")
        fixture = json.loads(path.read_text())
        if fixture.get("kind") not in KINDS:
            raise ValueError(f"{path.name}: kind must be one of {KINDS}, got {fixture.get('kind')!r}")
        cases.append(CorpusCase(name=path.stem, fixture=fixture, expected=json.loads(expected_path.read_text())))
    return cases
