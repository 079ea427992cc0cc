"""Headless Chromium for the staff-login browser test: the status pages' fixture (skipped, saying why, without it)."""

from tests.pages.conftest import browser  # noqa: F401  (the fixture, shared)
