"""Status page fixtures; browser tests run in Debian's headless Chromium or are skipped saying why."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]


def pytest_collection_modifyitems(config, items) -> None:
    if CHROMIUM.exists():
        return
    reason = f"browser test: headless Chromium not found at {CHROMIUM} (apt-get install chromium)"
    skip = pytest.mark.skip(reason=reason)
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def artifacts_dir() -> Path:
    path = Path(os.environ.get("SINQRO_ARTIFACTS_DIR", "var/artifacts"))
    path.mkdir(parents=True, exist_ok=True)
    return path
