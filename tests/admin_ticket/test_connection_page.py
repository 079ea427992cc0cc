"""The connection page: credentials in the first save (encrypted, masked), auto-accept, and the channel's own pause."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection as db
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from integrations.models import Connection, SyncJob
from tests.admin_doors.conftest import form_errors, page_form
from tests.factories.integrations import SANDBOX_API_KEY, ChannelFactory, ConnectionFactory
from tests.factories.restaurants import RestaurantFactory
from tests.outbound.conftest import drain, fast_outbound  # noqa: F401

from .conftest import STORE

pytestmark = pytest.mark.django_db

ADD = "admin:integrations_connection_add"
NEW_KEY, SECRET = "mk_first_save_KEY_7788", "whsec_first_save_SECRET_7788"


def change_url(connection: Connection) -> str:
    return reverse("admin:integrations_connection_change", args=[connection.pk])


def stored_column(connection: Connection) -> str:
    """The credentials column as the database holds it."""
    with db.cursor() as cursor:
        cursor.execute("SELECT credentials FROM integrations_connection WHERE id = %s", [connection.pk])
        return str(cursor.fetchone()[0])


def test_the_add_page_shows_the_chosen_channels_credential_fields(admin_client):
    channel = ChannelFactory()

    blank = admin_client.get(reverse(ADD)).content.decode()
    chosen = admin_client.get(reverse(ADD) + f"?channel={channel.pk}&environment=sandbox").content.decode()

    assert 'name="cred__api_key"' not in blank and "Choose the channel and the environment above" in blank
    assert 'name="cred__api_key"' in chosen and 'name="cred__webhook_secret"' in chosen


def test_a_connection_is_created_with_its_credentials_in_one_save_encrypted_and_masked(admin_client):
    restaurant, channel = RestaurantFactory(), ChannelFactory()

    response = admin_client.post(reverse(ADD), {
        "restaurant": restaurant.pk, "channel": channel.pk, "environment": "sandbox", "store_id": "one-save",
        "enabled": "on", "auto_accept": "on", "auto_accept_prep_minutes": "20",
        "cred__api_key": NEW_KEY, "cred__webhook_secret": SECRET,
    })

    assert response.status_code == 302, form_errors(response)
    created = Connection.objects.get(store_id="one-save")
    assert dict(created.credentials) == {"api_key": NEW_KEY, "webhook_secret": SECRET}
    assert (created.auto_accept, created.auto_accept_prep_minutes) == (True, 20)
    assert NEW_KEY not in stored_column(created) and SECRET not in stored_column(created)  # encrypted at rest
    page = admin_client.get(change_url(created)).content.decode()
    assert NEW_KEY not in page and SECRET not in page and "Set (encrypted)" in page


def test_credentials_the_channel_refuses_keep_the_new_connection_unsaved(admin_client):
    restaurant, channel = RestaurantFactory(), ChannelFactory()

    response = admin_client.post(reverse(ADD), {
        "restaurant": restaurant.pk, "channel": channel.pk, "environment": "sandbox", "store_id": "half",
        "cred__api_key": NEW_KEY,
    })

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["cred__webhook_secret"] == ["Field required"]
    assert not Connection.objects.filter(store_id="half").exists()


def test_auto_accept_and_its_minutes_are_edited_on_the_page(admin_client):
    connection = ConnectionFactory(auto_accept=False)
    url = change_url(connection)

    response = admin_client.post(url, {**page_form(admin_client, url), "auto_accept": "on",
                                       "auto_accept_prep_minutes": "35"})

    assert response.status_code == 302, form_errors(response)
    connection.refresh_from_db()
    assert (connection.auto_accept, connection.auto_accept_prep_minutes) == (True, 35)
    assert dict(connection.credentials)  # the credentials stayed as they were


def test_pausing_the_channel_on_the_page_writes_the_pause_job_and_resuming_the_resume(admin_client, admin_user):
    connection = ConnectionFactory()
    url = change_url(connection)
    until = timezone.localtime(timezone.now() + dt.timedelta(hours=2))
    paused = {**page_form(admin_client, url), "pause_now": "on", "pause_reason": "oven broken",
              "pause_until_0": until.strftime("%Y-%m-%d"), "pause_until_1": until.strftime("%H:%M:%S")}

    response = admin_client.post(url, paused)

    assert response.status_code == 302, form_errors(response)
    connection.refresh_from_db()
    assert connection.is_channel_paused() and connection.channel_pause_reason == "oven broken"
    [pause] = SyncJob.objects.filter(connection=connection)
    assert (pause.kind, pause.payload["reason"]) == (SyncJob.Kind.PAUSE, "oven broken")
    page = admin_client.get(url).content.decode()
    assert "Paused until" in page and connection.restaurant.timezone in page and 'name="resume_now"' in page

    response = admin_client.post(url, {**page_form(admin_client, url), "resume_now": "on"})

    assert response.status_code == 302, form_errors(response)
    connection.refresh_from_db()
    assert not connection.is_channel_paused()
    assert [job.kind for job in SyncJob.objects.filter(connection=connection).order_by("id")] == [
        SyncJob.Kind.PAUSE, SyncJob.Kind.RESUME
    ]


def test_a_pause_the_channel_cannot_take_is_a_form_error_and_nothing_is_sent(admin_client):
    glovo = ConnectionFactory(channel=ChannelFactory(name="Glovo ES", module="glovo"),
                              credentials={"api_token": "g-token-1", "webhook_token": "g-hook-1"})
    url = change_url(glovo)

    response = admin_client.post(url, {**page_form(admin_client, url), "pause_now": "on"})  # no end: Glovo needs one

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["pause_until"] == ["Glovo ES needs an end time for a pause"]
    glovo.refresh_from_db()
    assert not glovo.is_channel_paused() and not SyncJob.objects.exists()


def test_a_channel_pause_from_the_connection_page_reaches_the_market_and_so_does_its_resume(admin_client, market,
                                                                                           market_connection):
    url = change_url(market_connection)
    until = timezone.localtime(timezone.now() + dt.timedelta(minutes=45))

    admin_client.post(url, {**page_form(admin_client, url), "pause_now": "on", "pause_reason": "rider shortage",
                            "pause_until_0": until.strftime("%Y-%m-%d"), "pause_until_1": until.strftime("%H:%M:%S")})
    assert drain() == ["succeeded"]
    paused = market.api("GET", STORE, "/status", SANDBOX_API_KEY).body
    admin_client.post(url, {**page_form(admin_client, url), "resume_now": "on"})
    assert drain() == ["succeeded"]
    resumed = market.api("GET", STORE, "/status", SANDBOX_API_KEY).body

    assert (paused["paused"], paused["reason"]) == (True, "rider shortage")
    assert resumed["paused"] is False


def test_created_and_updated_are_on_the_restaurants_clock_with_the_zone(admin_client):
    connection = ConnectionFactory(restaurant__timezone="Europe/Madrid")
    # 07:30 UTC in July is 09:30 in Madrid (CEST, UTC+2); updated_at is auto_now, so set both under the ORM
    Connection.objects.filter(pk=connection.pk).update(
        created_at=dt.datetime(2026, 7, 1, 7, 30, tzinfo=dt.UTC),
        updated_at=dt.datetime(2026, 12, 1, 12, 5, tzinfo=dt.UTC),
    )

    html = admin_client.get(change_url(connection)).content.decode()

    assert "2026-07-01 09:30 Europe/Madrid" in html
    assert "2026-12-01 13:05 Europe/Madrid" in html
    assert escape("Created (restaurant's time)") in html
