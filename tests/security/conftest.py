"""Headless Chromium for the staff-login browser test (Debian Chromium, as in tests/pages), or a skip saying why."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.pages.conftest import CHROMIUM, CHROMIUM_ARGS


@pytest.fixture
def browser() -> Iterator:
    if not CHROMIUM.exists():
        pytest.skip(f"browser test: headless Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
