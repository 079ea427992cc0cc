"""Stub replaced below."""
from __future__ import annotations


def problems_of(document, path):
    return []
