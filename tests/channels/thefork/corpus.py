"""TheFork's corpus fixtures, for the tests (the same files the simulator serves)."""

from __future__ import annotations

from functools import cache

from integrations.channels.corpus import CorpusCase, corpus_directory, load_corpus
from integrations.channels.thefork.module import Module

RESTAURANT = "6a1f2c3e-8b4d-4f0a-9c21-5e7d8a9b0c14"
GROUP = "2f9e6b1a-4c3d-4e5f-8a7b-9c0d1e2f3a4b"


@cache
def cases() -> dict[str, CorpusCase]:
    return {case.name: case for case in load_corpus(corpus_directory(Module))}


def fixture(name: str) -> CorpusCase:
    return cases()[name]


def reservations() -> list[CorpusCase]:
    return [case for case in cases().values() if case.kind == "get_order"]
