"""The staff login forms in real headless Chromium: the two-factor admin form and the lockout page."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories.restaurants import DEFAULT_PASSWORD, UserFactory

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_log_in_to_admin_with_password_and_code_and_a_locked_form_says_when(browser, live_server, settings):
    artifacts = Path(os.environ.get("SINQRO_ARTIFACTS_DIR", "var/artifacts"))
    artifacts.mkdir(parents=True, exist_ok=True)
    settings.SINQRO_ADMIN_REQUIRES_2FA = True
    support = UserFactory(username="support", is_staff=True, is_superuser=True)
    device = TOTPDevice.objects.create(user=support, name="phone", confirmed=True)
    page = browser.new_page(viewport={"width": 1100, "height": 800})

    page.goto(f"{live_server.url}/admin/")
    page.fill("input[name=username]", "support")
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("text=Enter the 6-digit code from your authenticator app.")
    assert page.url.startswith(f"{live_server.url}/admin/login/")
    page.screenshot(path=str(artifacts / "admin_login_2fa.png"))

    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.fill("input[name=otp_token]", f"{totp(device.bin_key):06d}")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    assert "Site administration" in page.content()

    intruder = browser.new_page()
    for _ in range(5):
        intruder.goto(f"{live_server.url}/accounts/login/")
        intruder.fill("input[name=username]", "support")
        intruder.fill("input[name=password]", "guess")
        intruder.click("button[type=submit]")
    intruder.wait_for_selector("[data-testid=locked-out]")
    assert "Try again in 15 minutes" in intruder.inner_text("[data-testid=locked-out]")
    intruder.screenshot(path=str(artifacts / "login_locked_out.png"))
