"""The compiled Spanish catalogues (.mo) are the ones their .po files give: nobody edited one and forgot the other."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings


def catalogues() -> list[Path]:
    return sorted(po for path in settings.LOCALE_PATHS for po in Path(path).glob("*/LC_MESSAGES/django.po"))


def test_our_own_catalogue_exists():
    assert Path(settings.BASE_DIR / "locale" / "es" / "LC_MESSAGES" / "django.po") in catalogues()


@pytest.mark.parametrize("po", catalogues(), ids=lambda po: str(po.relative_to(settings.BASE_DIR)))
def test_the_committed_mo_is_the_po_compiled(po: Path, tmp_path: Path):
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "msgfmt (GNU gettext) is needed to compile the catalogues: apt-get install gettext"
    compiled = tmp_path / "django.mo"
    # the same command as `manage.py compilemessages`
    subprocess.run([msgfmt, "--check-format", "-o", str(compiled), str(po)], check=True)
    committed = po.with_suffix(".mo")
    assert committed.exists(), f"{committed} is missing: run manage.py compilemessages"
    assert committed.read_bytes() == compiled.read_bytes(), f"{committed} is stale: run manage.py compilemessages"


def test_every_spanish_message_of_ours_is_translated():
    po = settings.BASE_DIR / "locale" / "es" / "LC_MESSAGES" / "django.po"
    untranslated = subprocess.run(
        ["msgattrib", "--untranslated", "--no-obsolete", str(po)], capture_output=True, text=True, check=True
    ).stdout
    assert untranslated.strip() == "", f"untranslated in {po}:\n{untranslated}"
