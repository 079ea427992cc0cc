"""A language per user: the switcher stores it, and it follows the user to every device they log in from."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.test import Client, RequestFactory

from sinqro_platform.languages.models import UserLanguage

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_user():
    return get_user_model().objects.create_user("ana", password="pw", is_staff=True, is_superuser=True)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_switcher_stores_the_choice_for_the_user_and_redirects_back(staff_user):
    client = logged_in(staff_user)
    response = client.post("/i18n/setlang/", {"language": "es", "next": "/admin/"})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert UserLanguage.objects.get(user=staff_user).language == "es"


def test_the_stored_language_applies_on_another_device_whatever_the_browser_asks(staff_user):
    UserLanguage.objects.create(user=staff_user, language="es")
    other_device = logged_in(staff_user)
    response = other_device.get("/admin/", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "es"
    assert "Sitio administrativo" in response.content.decode()  # Django's own Spanish, activated for this user


def test_without_a_stored_choice_the_browser_language_is_used(staff_user):
    client = logged_in(staff_user)
    assert client.get("/admin/", HTTP_ACCEPT_LANGUAGE="es")["Content-Language"] == "es"
    assert client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en")["Content-Language"] == "en"


def test_switching_back_to_english_changes_the_next_page_of_the_same_session(staff_user):
    client = logged_in(staff_user)
    client.post("/i18n/setlang/", {"language": "es", "next": "/admin/"})
    assert client.get("/admin/")["Content-Language"] == "es"
    client.post("/i18n/setlang/", {"language": "en", "next": "/admin/"})
    assert client.get("/admin/", HTTP_ACCEPT_LANGUAGE="es")["Content-Language"] == "en"
    assert UserLanguage.objects.get(user=staff_user).language == "en"


def test_an_unknown_language_is_not_stored(staff_user):
    client = logged_in(staff_user)
    client.post("/i18n/setlang/", {"language": "xx", "next": "/admin/"})
    assert not UserLanguage.objects.filter(user=staff_user).exists()


def test_an_anonymous_visitor_switches_by_cookie_only():
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "es", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert client.cookies["django_language"].value == "es"
    assert UserLanguage.objects.count() == 0
    assert client.get("/accounts/login/")["Content-Language"] == "es"


def test_the_switcher_include_is_a_form_posting_to_setlang_with_both_languages(staff_user):
    request = RequestFactory().get("/restaurants/casa/")
    request.user = staff_user
    html = render_to_string("includes/language_switcher.html", request=request)
    assert 'action="/i18n/setlang/"' in html
    assert 'name="next" value="/restaurants/casa/"' in html
    assert 'value="es"' in html and 'value="en"' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_after_login_the_language_costs_no_query(staff_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    UserLanguage.objects.create(user=staff_user, language="es")
    client = logged_in(staff_user)  # login puts the stored language into the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/admin/")
    assert response["Content-Language"] == "es"
    assert not [q for q in queries.captured_queries if "languages_userlanguage" in q["sql"]]


def test_the_admin_header_has_the_switcher(staff_user):
    html = logged_in(staff_user).get("/admin/").content.decode()
    assert 'class="language-switcher" action="/i18n/setlang/"' in html
    assert 'name="next" value="/admin/"' in html
