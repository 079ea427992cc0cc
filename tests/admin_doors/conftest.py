"""Admin doors: a superuser posting the real admin forms, and what the outbox holds afterwards."""

from __future__ import annotations

from html.parser import HTMLParser

from django.test import Client

# The Sandbox Market connection, the fast retry settings and the end-to-end worker's environment.
from tests.outbound.conftest import API_KEY, FAST_ENV, WEBHOOK_SECRET, connection, fast_outbound  # noqa: F401


class _FormFields(HTMLParser):
    """What a browser would submit from the page's form: inputs, checked boxes, selected options, text areas."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._select_multiple = False
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        name = attributes.get("name")
        if tag == "input" and name:
            kind = attributes.get("type", "text")
            if kind in ("submit", "button", "image", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attributes:
                return
            self.data.setdefault(name, []).append(attributes.get("value") or ("on" if kind == "checkbox" else ""))
        elif tag == "select" and name:
            self._select, self._select_first, self._select_chosen = name, None, False
            self._select_multiple = "multiple" in attributes
            self.data.setdefault(name, [])
        elif tag == "option" and self._select is not None:
            value = attributes.get("value") or ""
            if self._select_first is None:
                self._select_first = value
            if "selected" in attributes:
                self.data[self._select].append(value)
                self._select_chosen = True
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self.data[self._textarea][0] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select is not None:
            if not self._select_chosen and self._select_first is not None and not self._select_multiple:
                self.data[self._select].append(self._select_first)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            value = self.data[self._textarea][0]
            self.data[self._textarea][0] = value[1:] if value.startswith("\n") else value  # as browsers read it
            self._textarea = None


def page_form(client: Client, url: str) -> dict[str, list[str] | str]:
    """The admin page's form as it stands (inlines included), ready to change a few fields and post back."""
    response = client.get(url)
    assert response.status_code == 200, url
    parser = _FormFields()
    parser.feed(response.content.decode())
    data: dict[str, list[str] | str] = {
        name: values[0] if len(values) == 1 else values
        for name, values in parser.data.items()
        if "__prefix__" not in name and name != "csrfmiddlewaretoken"
    }
    return data


def form_errors(response) -> list:
    """The admin form's and inlines' errors of a response that came back (200) instead of redirecting."""
    context = response.context
    errors = [context["adminform"].form.errors] if "adminform" in context else []
    for inline in context.get("inline_admin_formsets", []):
        errors += [form.errors for form in inline.formset.forms if form.errors]
        errors += list(inline.formset.non_form_errors())
    return [error for error in errors if error]
