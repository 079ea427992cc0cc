"""Two-factor admin (sinqro_platform/admin_site.py): with SINQRO_ADMIN_REQUIRES_2FA a staff member needs the
password and the current TOTP code of their device; off (development, the demo, these tests' default) the
password is enough. Real requests through the test client; codes computed from the device's key."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from base64 import b32decode
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from axes.models import AccessAttempt
from cryptography.fernet import Fernet
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories.restaurants import DEFAULT_PASSWORD, RestaurantMemberFactory, UserFactory

pytestmark = pytest.mark.django_db

ADMIN_LOGIN = "/admin/login/?next=/admin/"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def two_factor(settings):
    settings.SINQRO_ADMIN_REQUIRES_2FA = True


@pytest.fixture
def support():
    return UserFactory(username="support", is_staff=True, is_superuser=True)


@pytest.fixture
def device(support) -> TOTPDevice:
    return TOTPDevice.objects.create(user=support, name="phone", confirmed=True)


def code_for(key: bytes, device: TOTPDevice | None = None) -> str:
    step, t0, digits = (device.step, device.t0, device.digits) if device else (30, 0, 6)
    return f"{totp(key, step=step, t0=t0, digits=digits):0{digits}d}"


def log_in(client, username="support", password=DEFAULT_PASSWORD, **extra):
    return client.post(ADMIN_LOGIN, {"username": username, "password": password, **extra})


def in_admin(client) -> bool:
    return client.get("/admin/").status_code == 200


def settings_in_a_new_process(**env: str) -> str:
    """SINQRO_ADMIN_REQUIRES_2FA and AXES limits as a fresh process reads them from this environment."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DEBUG", "SINQRO_ADMIN", "AXES_"))}
    clean.update({"DJANGO_SETTINGS_MODULE": "sinqro_platform.settings", "ALLOWED_HOSTS": "sinqro.example.com",
                  "SECRET_KEY": "production-" + "k" * 50, "SINQRO_SECRET_KEYS": Fernet.generate_key().decode(),
                  **env})
    code = ("import django; django.setup(); from django.conf import settings as s; "
            "print(s.SINQRO_ADMIN_REQUIRES_2FA, s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME.total_seconds())")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True,
                            timeout=60, check=True)
    return result.stdout.strip()


def test_two_factor_is_on_by_default_in_production_and_off_in_development_and_here():
    assert django_settings.SINQRO_ADMIN_REQUIRES_2FA is False  # the suite's default settings
    assert settings_in_a_new_process(DEBUG="false") == "True 5 900.0"
    assert settings_in_a_new_process(DEBUG="true") == "False 5 900.0"
    assert settings_in_a_new_process(DEBUG="false", SINQRO_ADMIN_REQUIRES_2FA="false", AXES_FAILURE_LIMIT="10",
                                     AXES_COOLOFF_MINUTES="30") == "False 10 1800.0"


def test_without_two_factor_the_admin_login_takes_a_password_alone(client, support):
    page = client.get(ADMIN_LOGIN).content.decode()
    assert 'name="otp_token"' not in page

    response = log_in(client)

    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert in_admin(client)


def test_with_two_factor_the_login_form_asks_for_the_code(client, two_factor, support):
    page = client.get(ADMIN_LOGIN).content.decode()
    assert 'name="otp_token"' in page and "Code from your authenticator app" in page
    assert 'autocomplete="one-time-code"' in page


def test_the_right_password_without_a_code_is_not_let_in(client, two_factor, device):
    response = log_in(client)

    assert response.status_code == 200
    assert "Enter the 6-digit code from your authenticator app." in response.content.decode()
    assert not in_admin(client)


def test_the_right_password_with_a_wrong_code_is_not_let_in(client, two_factor, device):
    right = code_for(device.bin_key, device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"

    response = log_in(client, otp_token=wrong)

    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert not in_admin(client)


def test_the_right_password_and_the_current_code_let_staff_in(client, two_factor, device):
    response = log_in(client, otp_token=code_for(device.bin_key, device))

    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert in_admin(client)
    assert client.get("/admin/integrations/connection/").status_code == 200


def test_a_code_from_another_users_device_does_not_let_staff_in(client, two_factor, device):
    other = TOTPDevice.objects.create(user=UserFactory(username="other", is_staff=True), confirmed=True)

    response = log_in(client, otp_token=code_for(other.bin_key, other), otp_device=other.persistent_id)

    assert response.status_code == 200 and not in_admin(client)


def test_staff_without_a_device_are_told_to_enrol_and_not_let_in(client, two_factor, support):
    response = log_in(client, otp_token="123456")

    assert response.status_code == 200
    assert "add_totp_device" in response.content.decode()
    assert not in_admin(client)


def test_a_session_logged_in_without_a_code_is_not_admin(client, two_factor, device, support):
    client.force_login(support)  # e.g. through /accounts/login/, which asks no code

    response = client.get("/admin/")

    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_wrong_codes_count_towards_the_lockout(client, two_factor, device):
    right = code_for(device.bin_key, device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    statuses = [log_in(client, otp_token=wrong).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]

    response = log_in(client, otp_token=right)

    assert response.status_code == 429 and not in_admin(client)
    assert AccessAttempt.objects.get(username="support").failures_since_start == 6


def test_several_devices_ask_which_one(client, two_factor, device, support):
    TOTPDevice.objects.create(user=support, name="spare phone", confirmed=True)

    first = log_in(client, otp_token=code_for(device.bin_key, device))
    assert first.status_code == 200 and "Choose which authenticator" in first.content.decode()
    assert 'name="otp_device"' in first.content.decode()

    response = log_in(client, otp_token=code_for(device.bin_key, device), otp_device=device.persistent_id)
    assert response.status_code == 302 and in_admin(client)


def test_managers_log_in_to_the_status_pages_with_a_password_alone_even_with_two_factor_on(client, two_factor):
    member = RestaurantMemberFactory(user__username="lucia")

    response = client.post("/accounts/login/", {"username": "lucia", "password": DEFAULT_PASSWORD})

    assert response.status_code == 302 and response["Location"] == "/restaurants/"
    assert member.restaurant.name in client.get("/restaurants/").content.decode()


def test_add_totp_device_prints_a_url_that_logs_staff_in(client, two_factor, support):
    out = io.StringIO()
    call_command("add_totp_device", "support", stdout=out)

    urls = re.findall(r"otpauth://\S+", out.getvalue())
    assert len(urls) == 1
    url = urlparse(urls[0])
    query = parse_qs(url.query)
    assert url.scheme == "otpauth" and url.netloc == "totp"
    assert query["issuer"] == ["Sinqro"] and "support" in url.path
    key = b32decode(query["secret"][0] + "=" * (-len(query["secret"][0]) % 8))
    device = TOTPDevice.objects.get(user=support)
    assert device.confirmed and device.bin_key == key

    response = log_in(client, otp_token=code_for(key))  # what the authenticator app shows

    assert response.status_code == 302 and in_admin(client)


def test_add_totp_device_replace_drops_the_old_device(support, device):
    out = io.StringIO()
    call_command("add_totp_device", "support", "--replace", "--qr", stdout=out)

    assert list(TOTPDevice.objects.filter(user=support).values_list("name", flat=True)) == ["authenticator"]
    assert "Deleted 1 earlier TOTP device(s)" in out.getvalue()


def test_add_totp_device_refuses_an_unknown_user():
    with pytest.raises(CommandError, match="No user 'nobody'"):
        call_command("add_totp_device", "nobody")


def test_staff_add_a_device_in_admin(client, support):
    client.force_login(support)

    assert client.get("/admin/otp_totp/totpdevice/add/").status_code == 200
