"""Coverage documents stand alone: no files outside the repository, no internal words, and they print before
``migrate`` (a fresh install) instead of a ``no such table`` traceback."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from integrations.channels.registry import all_modules, get_module
from integrations.coverage import build_coverage, render_markdown

SLUGS = sorted(all_modules())
# Words of our code a channel's reader would not know (the value, the field name, the flag).
INTERNAL = re.compile(r"\binsitu\b|full_and_partial|\bthin:|webhook_signs_body|\bpicked_up\b|\bno_show\b|"
                      r"pause needs until|per service type:|needs every step:")


def platform_words(slug: str, language: str) -> str:
    """What the platform wrote in the document (not the module's own reasons and notes)."""
    with translation.override(language):
        doc = build_coverage(get_module(slug))
    parts = [option for item in doc.features for option in item.options]
    parts += [status for _code, status in doc.statuses_in] + [status for status, _code in doc.statuses_out]
    parts += [doc.webhook_authentication, *doc.rate_limits]
    parts += [deadline.split(", ")[0] for deadline in doc.deadlines]
    return "\n".join(parts)


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("slug", SLUGS)
def test_no_internal_words_in_what_the_platform_writes(slug, language):
    words = platform_words(slug, language)
    assert not INTERNAL.findall(words), INTERNAL.findall(words)


def test_the_sandbox_market_document_shows_labels():
    text = render_markdown(build_coverage(get_module("sandbox_market")))
    assert "services: Delivery, Collection, In situ (dine-in), Reservation" in text
    assert "the whole menu for changes of structure, only the changed items for prices and availability" in text
    assert "the webhook carries only the order's id (we fetch the order): no" in text
    assert "| Picked up (orders) | ON_THE_WAY |" in text
    assert not INTERNAL.findall(text)


@pytest.mark.parametrize("slug", SLUGS)
def test_no_citation_of_a_file_outside_the_repository(slug):
    text = render_markdown(build_coverage(get_module(slug)))
    assert "../" not in text and "shared/CHANNELS.md" not in text and "sandbox_market/README" not in text
    ours = re.findall(r"\b((?:channel_simulators|integrations|docs/channels)/[\w./-]+\.(?:md|py))", text)
    missing = [path for path in ours if not (settings.BASE_DIR / path).exists()]
    assert not missing, f"{slug} cites files the repository does not have: {missing}"


def test_before_migrate_the_document_prints_and_says_what_to_run(tmp_path: Path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
           "SINQRO_VAR_DIR": str(tmp_path / "var")}
    result = subprocess.run(
        [sys.executable, "manage.py", "coverage_document", "sandbox_market"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# Integration coverage: Sandbox Market")
    assert "not validated yet" in result.stdout
    assert "run `manage.py migrate`" in result.stderr
    assert "Traceback" not in result.stderr and "no such table" not in result.stderr
