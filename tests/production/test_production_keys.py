"""Production refuses to start on the repository's development keys, and the deploy check says so too."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from sinqro_platform.settings import DEV_SECRET_KEY, DEV_SECRET_KEYS

ROOT = Path(__file__).resolve().parents[2]
OWN_SECRET = "production-" + "k" * 50


def _load_settings(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "SINQRO_SECRET_KEYS", "DEBUG"}}
    clean.update({"DJANGO_SETTINGS_MODULE": "sinqro_platform.settings", "ALLOWED_HOSTS": "sinqro.example.com", **env})
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('loaded')"],
        cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60, check=False,
    )


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({}, ["SECRET_KEY", "SINQRO_SECRET_KEYS"]),
        ({"SECRET_KEY": DEV_SECRET_KEY, "SINQRO_SECRET_KEYS": Fernet.generate_key().decode()}, ["SECRET_KEY"]),
        ({"SECRET_KEY": OWN_SECRET}, ["SINQRO_SECRET_KEYS"]),
        ({"SECRET_KEY": OWN_SECRET, "SINQRO_SECRET_KEYS": f"{Fernet.generate_key().decode()},{DEV_SECRET_KEYS[0]}"},
         ["SINQRO_SECRET_KEYS"]),
    ],
    ids=["nothing set", "dev secret key", "no key ring", "dev fernet key still in the ring"],
)
def test_production_settings_on_development_keys_fail_to_load_with_the_fix(env, named):
    result = _load_settings(DEBUG="false", **env)

    assert result.returncode != 0 and "loaded" not in result.stdout
    assert "ImproperlyConfigured: Refusing to run with DEBUG=false on development keys" in result.stderr
    for name in named:
        assert f"{name} is unset or" in result.stderr
    assert ("secrets.token_urlsafe" in result.stderr) == ("SECRET_KEY" in named)
    assert ("Fernet.generate_key" in result.stderr) == ("SINQRO_SECRET_KEYS" in named)


def test_production_settings_with_own_keys_load():
    result = _load_settings(DEBUG="false", SECRET_KEY=OWN_SECRET, SINQRO_SECRET_KEYS=Fernet.generate_key().decode())

    assert result.returncode == 0, result.stderr
    assert "loaded" in result.stdout


def test_the_deploy_check_names_development_keys(settings):
    settings.SECRET_KEY = DEV_SECRET_KEY
    settings.SINQRO_SECRET_KEYS = list(DEV_SECRET_KEYS)

    with pytest.raises(SystemCheckError, match=r"sinqro\.E001"):
        call_command("check", "--deploy", "--fail-level", "ERROR")

    settings.SECRET_KEY = OWN_SECRET
    settings.SINQRO_SECRET_KEYS = [Fernet.generate_key().decode()]
    call_command("check", "--deploy", "--fail-level", "ERROR", "--tag", "security")
