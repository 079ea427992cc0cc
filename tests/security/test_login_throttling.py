"""Login throttling (django-axes): five failed logins lock a username from an address, on both login forms.

Real requests through the test client and axes' real database handler; the 15-minute cool-off is passed by
dating the stored attempts back, which is what 16 minutes of waiting leaves in the database.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client

from tests.factories.restaurants import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

WRONG = "not the password"
FORMS = {
    # a restaurant manager on /accounts/login/ (lands on the status pages), support staff on /admin/login/
    "manager form": ("/accounts/login/", {}),
    "admin form": ("/admin/login/", {"is_staff": True}),
}


@pytest.fixture(params=sorted(FORMS))
def login_form(request):
    url, user_fields = FORMS[request.param]
    return url, UserFactory(username="lucia", **user_fields)


def attempt(client, url: str, username: str, password: str, ip: str = "127.0.0.1", **headers):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=ip, **headers)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def lock_out(client, url: str, username: str, ip: str = "127.0.0.1", **headers):
    responses = [attempt(client, url, username, WRONG, ip, **headers) for _ in range(5)]
    assert [r.status_code for r in responses] == [200, 200, 200, 200, 429]  # the 5th failure reaches the limit
    return responses


def age_attempts(minutes: float) -> None:
    """As if the stored failures had happened this many minutes earlier."""
    for stored in AccessAttempt.objects.all():
        stored.attempt_time -= timedelta(minutes=minutes)
        stored.save(update_fields=["attempt_time"])


def test_five_wrong_passwords_lock_the_sixth_attempt_even_with_the_right_password(client, login_form):
    url, _ = login_form
    first = attempt(client, url, "lucia", WRONG)
    assert first.status_code == 200 and not logged_in(client)  # the form again, with its error
    for _ in range(3):
        attempt(client, url, "lucia", WRONG)
    assert attempt(client, url, "lucia", WRONG).status_code == 429

    sixth = attempt(client, url, "lucia", DEFAULT_PASSWORD)

    assert sixth.status_code == 429
    assert not logged_in(client)
    assert AccessAttempt.objects.get(username="lucia", ip_address="127.0.0.1").failures_since_start == 6


def test_the_lockout_page_says_when_to_try_again_and_who_can_unlock(client, login_form):
    url, _ = login_form
    lock_out(client, url, "lucia")

    response = attempt(client, url, "lucia", DEFAULT_PASSWORD)

    page = response.content.decode()
    assert response.status_code == 429 and response["Retry-After"] == "900"
    assert "Too many login attempts" in page and "after 5 failed attempts" in page
    assert "Try again in 15 minutes, after" in page and 'data-testid="retry-at"' in page
    assert "axes_reset_username" in page
    assert "registration/locked_out.html" in [template.name for template in response.templates]


def test_another_username_from_the_same_address_is_not_locked(client, login_form):
    url, _ = login_form
    UserFactory(username="marco", is_staff=True)
    lock_out(client, url, "lucia")

    response = attempt(client, url, "marco", DEFAULT_PASSWORD)

    assert response.status_code == 302 and logged_in(client)


def test_the_same_username_from_another_address_is_not_locked(client, login_form):
    url, _ = login_form
    lock_out(client, url, "lucia", ip="203.0.113.9")

    response = attempt(client, url, "lucia", DEFAULT_PASSWORD, ip="198.51.100.7")

    assert response.status_code == 302 and logged_in(client)


def test_the_lockout_expires_after_the_cool_off_and_every_attempt_meanwhile_restarts_it(client, login_form):
    url, _ = login_form
    lock_out(client, url, "lucia")

    age_attempts(14)  # 14 of the 15 minutes gone: still locked, and this attempt starts the 15 minutes again
    assert attempt(client, url, "lucia", DEFAULT_PASSWORD).status_code == 429
    age_attempts(14)
    assert attempt(client, url, "lucia", DEFAULT_PASSWORD).status_code == 429
    assert not logged_in(client)

    age_attempts(16)  # a full cool-off since the last attempt
    response = attempt(client, url, "lucia", DEFAULT_PASSWORD)

    assert response.status_code == 302 and logged_in(client)


def test_a_short_cool_off_from_settings_expires_by_itself(client, login_form, settings):
    # A minute instead of the default 15: the stored attempts are aged instead of waiting on the wall clock.
    settings.AXES_COOLOFF_TIME = timedelta(minutes=1)
    url, _ = login_form
    lock_out(client, url, "lucia")
    assert attempt(client, url, "lucia", DEFAULT_PASSWORD).status_code == 429  # locked, the wait starts again
    age_attempts(0.9)
    assert attempt(client, url, "lucia", DEFAULT_PASSWORD).status_code == 429  # not yet a minute

    age_attempts(1.1)  # a full minute since the last attempt, far less than the default 15

    assert attempt(client, url, "lucia", DEFAULT_PASSWORD).status_code == 302 and logged_in(client)


def test_the_failure_limit_comes_from_settings(client, login_form, settings):
    settings.AXES_FAILURE_LIMIT = 2
    url, _ = login_form
    assert attempt(client, url, "lucia", WRONG).status_code == 200
    assert attempt(client, url, "lucia", WRONG).status_code == 429
    assert attempt(client, url, "lucia", DEFAULT_PASSWORD).status_code == 429


def test_a_successful_login_clears_earlier_failures(client, login_form):
    url, _ = login_form
    for _ in range(4):
        attempt(client, url, "lucia", WRONG)
    assert attempt(client, url, "lucia", DEFAULT_PASSWORD).status_code == 302
    client.logout()

    for _ in range(4):
        assert attempt(client, url, "lucia", WRONG).status_code == 200  # four more are not five in a row

    assert attempt(client, url, "lucia", DEFAULT_PASSWORD).status_code == 302


def test_staff_unlock_with_axes_reset_username(client, login_form):
    url, _ = login_form
    lock_out(client, url, "lucia")

    call_command("axes_reset_username", "lucia")

    assert attempt(client, url, "lucia", DEFAULT_PASSWORD).status_code == 302 and logged_in(client)


def test_staff_unlock_in_admin_by_deleting_the_access_attempt(client, login_form):
    url, _ = login_form
    lock_out(client, url, "lucia")
    stored = AccessAttempt.objects.get(username="lucia")
    support = Client()
    support.force_login(UserFactory(username="support", is_staff=True, is_superuser=True))

    listing = support.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200 and "lucia" in listing.content.decode()
    deleted = support.post("/admin/axes/accessattempt/", {
        "action": "delete_selected", "_selected_action": [stored.pk], "post": "yes",
    })
    assert deleted.status_code == 302 and not AccessAttempt.objects.exists()

    assert attempt(client, url, "lucia", DEFAULT_PASSWORD).status_code == 302 and logged_in(client)


def test_behind_a_proxy_the_forwarded_client_address_counts_not_a_spoofed_one(client, login_form, settings):
    settings.SINQRO_TRUSTED_PROXY_COUNT = 1  # one load balancer: it appends the address it saw
    url, _ = login_form
    balancer = "10.0.0.2"
    lock_out(client, url, "lucia", ip=balancer, HTTP_X_FORWARDED_FOR="203.0.113.9")

    # The attacker cannot get out of the lock by sending an X-Forwarded-For of their own: the balancer appends.
    spoofed = attempt(client, url, "lucia", DEFAULT_PASSWORD, ip=balancer,
                      HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.9")
    assert spoofed.status_code == 429

    # ... and the real user, elsewhere, behind the same balancer, is not locked with them.
    response = attempt(client, url, "lucia", DEFAULT_PASSWORD, ip=balancer, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert response.status_code == 302 and logged_in(client)
