"""The pages' Spanish catalogue: every message translated, none of the templates' words forgotten."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from django.conf import settings

PO = settings.BASE_DIR / "integrations" / "pages" / "locale" / "es" / "LC_MESSAGES" / "django.po"
TEMPLATES = settings.BASE_DIR / "templates" / "pages"
TRANSLATE = re.compile(r"""{% translate (["'])(.+?)\1 %}""")


def msgids() -> set[str]:
    text = PO.read_text(encoding="utf-8")
    found = set()
    for block in text.split("\n\n"):
        match = re.search(r'^msgid ((?:".*"\n?)+)', block, re.MULTILINE)
        if match:
            found.add("".join(re.findall(r'"(.*)"', match.group(1))).replace('\\"', '"'))
    return found


def test_the_pages_catalogue_is_on_the_locale_path():
    assert PO.parent.parent.parent in {Path(path) for path in settings.LOCALE_PATHS}


def test_every_message_of_the_pages_is_translated():
    untranslated = subprocess.run(["msgattrib", "--untranslated", "--no-obsolete", str(PO)],
                                  capture_output=True, text=True, check=True).stdout
    assert untranslated.strip() == "", untranslated


def test_every_word_the_templates_translate_is_in_the_catalogue():
    known = msgids()
    used = [words for template in TEMPLATES.glob("*.html")
            for _quote, words in TRANSLATE.findall(template.read_text(encoding="utf-8"))]
    assert len(used) > 50  # the pattern still finds the templates' words
    missing = {
        f"{template.name}: {words}"
        for template in TEMPLATES.glob("*.html")
        for _quote, words in TRANSLATE.findall(template.read_text(encoding="utf-8"))
        if words not in known
    }
    assert not missing, "run makemessages for integrations/pages and translate: " + ", ".join(sorted(missing))
