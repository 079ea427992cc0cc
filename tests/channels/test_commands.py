"""`manage.py channels` and `manage.py coverage_document` for integration engineers and channels."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from integrations.channels.features import FEATURE_TITLES


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_channels_lists_every_module_with_its_feature_table():
    output = run("channels", "--check")

    assert "sandbox_market  ·  Sandbox Market  ·  8/8 features" in output
    assert "post_delivery_location  yes" in output


def test_channels_check_fails_on_a_module_that_disagrees_with_itself(settings):
    settings.SINQRO_EXTRA_CHANNEL_MODULES = ["tests.channels.broken_module.BrokenModule"]

    with pytest.raises(CommandError, match="disagree"):
        run("channels", "--check")


@pytest.mark.django_db
def test_coverage_document_markdown_lists_all_eight_features_and_the_limits():
    output = run("coverage_document", "sandbox_market")

    for title in FEATURE_TITLES.values():
        assert f"| {title} | yes |" in output
    assert "Rate limit: all calls: at most 50 per 1 s per connection" in output
    assert "Deadline: Accepted within 10 min" in output
    assert "- api_key (secret, encrypted at rest)" in output


@pytest.mark.django_db
def test_coverage_document_html_is_a_printable_page():
    output = run("coverage_document", "sandbox_market", "--format", "html")

    assert output.startswith("<!doctype html>")
    assert "@media print" in output
    assert output.count("<tr>") >= 8


@pytest.mark.django_db
def test_coverage_document_says_why_a_feature_is_not_integrated(settings):
    settings.SINQRO_EXTRA_CHANNEL_MODULES = ["tests.channels.broken_module.BrokenModule"]

    output = run("coverage_document", "broken")

    assert "| Post driver location | no | platform couriers only |" in output


def test_unknown_slug_is_a_clear_error():
    with pytest.raises(CommandError, match="no channel module with slug 'nope'"):
        run("coverage_document", "nope")
