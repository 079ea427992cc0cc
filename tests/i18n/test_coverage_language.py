"""`manage.py coverage_document <slug> --language es|en`: the platform's words switch, the module's stay English."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def document(*args: str) -> str:
    out = StringIO()
    call_command("coverage_document", *args, stdout=out)
    return out.getvalue()


def test_spanish_markdown():
    text = document("glovo", "--language", "es")
    assert text.startswith("# Cobertura de la integración: Glovo")
    assert "5 de 8 funciones integradas" in text
    assert "| Función | Integrada | Por qué no / opciones | Última validación |" in text
    assert "| Enviar la posición del repartidor | no |" in text
    assert "horario semanal: no; festivos y otras excepciones: no; pausa: sí; una pausa necesita una hora de fin: sí" \
        in text
    assert "## Límites y plazos" in text and "## Correspondencia de estados" in text
    assert "| Recogido (Recogida) | PICKED_UP_BY_CUSTOMER |" in text
    # the module's own reason stays as written, in English, and the document says so
    assert "Glovo's Partners API has no endpoint for a courier's position" in text
    assert "son palabras del propio módulo, en inglés" in text


def test_english_is_the_default_and_switches_back():
    assert document("glovo", "--language", "es").startswith("# Cobertura")
    text = document("glovo")
    assert text.startswith("# Integration coverage: Glovo")
    assert "| Post driver location | no |" in text
    assert document("glovo", "--language", "en") .startswith("# Integration coverage: Glovo")


def test_spanish_html_is_marked_spanish():
    html = document("sandbox_market", "--format", "html", "--language", "es")
    assert '<html lang="es">' in html
    assert "<title>Cobertura de la integración: Sandbox Market</title>" in html
    assert "<th>Función</th><th>Integrada</th>" in html
    assert "<h2>Campos que no leemos</h2>" in html
    assert "(secreto, cifrado en reposo)" in html
    english = document("sandbox_market", "--format", "html")
    assert '<html lang="en">' in english and "<th>Feature</th>" in english


def test_an_unknown_language_is_refused():
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        document("glovo", "--language", "fr")
