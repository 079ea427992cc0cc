"""The restaurant status page, server side: who sees what, what each card says, and the buttons."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from integrations.models import SyncJob
from restaurants.models import Pause
from tests.factories.integrations import ChannelFactory, ConnectionFactory
from tests.factories.orders import OrderFactory, OrderLineFactory
from tests.factories.restaurants import (
    RestaurantFactory,
    RestaurantMemberFactory,
    ScheduleRangeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(db):
    membership = RestaurantMemberFactory(restaurant__name="Casa Lucía", restaurant__slug="casa-lucia")
    return membership


@pytest.fixture
def connection(member):
    return ConnectionFactory(restaurant=member.restaurant, channel=ChannelFactory(name="Sandbox Market ES"))


@pytest.fixture
def logged_in(client, member) -> Client:
    client.force_login(member.user)
    return client


def test_the_list_and_pages_need_a_login(client, member):
    for url in ("/restaurants/", "/restaurants/casa-lucia/", "/restaurants/casa-lucia/live/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_login_page_logs_in_and_lands_on_the_list(client, member):
    response = client.post("/accounts/login/", {"username": member.user.username,
                                                "password": "correct horse battery staple"}, follow=True)
    assert response.request["PATH_INFO"] == "/restaurants/"
    assert "Casa Lucía" in response.content.decode()


def test_a_member_sees_only_their_restaurants_and_others_are_404(logged_in, member):
    other = RestaurantFactory(name="Otro Sitio", slug="otro-sitio")

    listing = logged_in.get("/restaurants/").content.decode()
    assert "Casa Lucía" in listing and "Otro Sitio" not in listing
    for url in ("/restaurants/otro-sitio/", "/restaurants/otro-sitio/live/"):
        assert logged_in.get(url).status_code == 404
    connection = ConnectionFactory(restaurant=other)
    assert logged_in.post(f"/restaurants/otro-sitio/connections/{connection.pk}/publish/").status_code == 404
    assert logged_in.post("/restaurants/otro-sitio/pause/", {"minutes": "15"}).status_code == 404
    assert not SyncJob.objects.exists() and not Pause.objects.exists()


def test_support_staff_see_every_restaurant(client, member):
    RestaurantFactory(name="Otro Sitio", slug="otro-sitio")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert "Otro Sitio" in client.get("/restaurants/").content.decode()
    assert client.get("/restaurants/otro-sitio/").status_code == 200


def test_a_card_tells_the_state_of_each_channel(logged_in, member, connection):
    now = timezone.now()
    ScheduleRangeFactory(restaurant=member.restaurant, start_time=(now - timedelta(hours=1)).time(),
                         end_time=(now + timedelta(hours=1)).time())
    connection.last_webhook_at = now - timedelta(minutes=3)
    connection.save()
    OrderFactory(restaurant=member.restaurant, connection=connection, display_code="A042", needs_attention=True,
                 attention_reason="still not accepted after 5 minutes")
    SyncJob.objects.create(connection=connection, kind="catalog", payload={}, state="failed",
                           target="catalog of Casa Lucía", last_error="HTTP 422: price_cents must be positive")

    page = logged_in.get("/restaurants/casa-lucia/").content.decode()

    assert "Sandbox Market ES" in page and "Sandbox" in page
    assert "reachable" in page
    assert "3\xa0minutes ago" in page
    assert "A042" in page and "still not accepted after 5 minutes" in page
    assert "failed" in page and "HTTP 422: price_cents must be positive" in page
    assert 'name="viewport"' in page and "max-width: 600px" in page


def test_a_closed_circuit_and_a_pause_show(logged_in, member, connection):
    connection.circuit_open_until = timezone.now() + timedelta(minutes=1)
    connection.consecutive_failures = 5
    connection.save()
    Pause.objects.create(restaurant=member.restaurant, until=timezone.now() + timedelta(minutes=20), reason="rush")

    page = logged_in.get("/restaurants/casa-lucia/live/").content.decode()
    assert "unreachable" in page and "paused" in page


def test_recent_orders_show_both_statuses_and_whether_ours_reached_the_channel(logged_in, member, connection):
    order = OrderFactory(restaurant=member.restaurant, connection=connection, display_code="B007",
                         status="accepted", channel_status="CONFIRMED")
    SyncJob.objects.create(connection=connection, order=order, kind="order_status", state="succeeded",
                           payload={"update": {"status": "accepted"}})
    stuck = OrderFactory(restaurant=member.restaurant, connection=connection, display_code="B008", status="ready")
    SyncJob.objects.create(connection=connection, order=stuck, kind="order_status", state="failed",
                           payload={"update": {"status": "ready"}}, last_error="HTTP 409: invalid_transition")

    page = logged_in.get("/restaurants/casa-lucia/live/").content.decode()

    assert "B007" in page and "CONFIRMED" in page and "our “accepted”: reached the channel" in page
    assert "B008" in page and "our “ready”: failed" in page and "HTTP 409: invalid_transition" in page


def test_publish_menu_now_queues_a_publish_for_that_channel_only(logged_in, member, connection):
    other = ConnectionFactory(restaurant=member.restaurant, channel=ChannelFactory(name="Second"))

    response = logged_in.post(f"/restaurants/casa-lucia/connections/{connection.pk}/publish/", follow=True)

    assert response.status_code == 200
    assert "Publishing the menu on Sandbox Market ES" in response.content.decode()
    job = SyncJob.objects.get()
    assert job.connection == connection and job.kind == "catalog"
    assert not other.sync_jobs.exists()
    assert "sending…" in response.content.decode()


def test_pause_and_resume_buttons(logged_in, member, connection):
    logged_in.post("/restaurants/casa-lucia/pause/", {"minutes": "15", "reason": "rush"})
    pause = Pause.objects.get()
    assert pause.reason == "rush" and pause.created_by == member.user
    assert 14 <= (pause.until - timezone.now()).total_seconds() / 60 <= 15
    assert "paused" in logged_in.get("/restaurants/casa-lucia/live/").content.decode()

    logged_in.post("/restaurants/casa-lucia/resume/")
    assert Pause.objects.get().resumed_by == member.user
    assert list(SyncJob.objects.order_by("id").values_list("kind", flat=True)) == ["pause", "resume"]


def test_buttons_need_post_and_csrf(member, connection):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member.user)
    assert client.get(f"/restaurants/casa-lucia/connections/{connection.pk}/publish/").status_code == 405
    assert client.post(f"/restaurants/casa-lucia/connections/{connection.pk}/publish/").status_code == 403
    assert client.post("/restaurants/casa-lucia/pause/", {"minutes": "15"}).status_code == 403
    assert not SyncJob.objects.exists()


def test_the_live_fragment_is_not_cached_and_the_page_refreshes_it(logged_in, connection):
    live = logged_in.get("/restaurants/casa-lucia/live/")
    assert live["Cache-Control"] == "no-store" and "<html" not in live.content.decode()
    page = logged_in.get("/restaurants/casa-lucia/").content.decode()
    assert 'data-url="/restaurants/casa-lucia/live/"' in page and "setInterval" in page


def test_the_page_costs_a_bounded_number_of_queries(logged_in, member, connection):
    from django.db import connection as db
    from django.test.utils import CaptureQueriesContext

    def queries_with(count: int) -> int:
        for _ in range(count):
            order = OrderFactory(restaurant=member.restaurant, connection=connection)
            OrderLineFactory(order=order)
            SyncJob.objects.create(connection=connection, order=order, kind="order_status", payload={})
        with CaptureQueriesContext(db) as context:
            assert logged_in.get("/restaurants/casa-lucia/live/").status_code == 200
        return len(context)

    logged_in.get("/restaurants/casa-lucia/live/")  # the session's first request reads the user's language once
    few = queries_with(3)
    many = queries_with(12)  # more orders than the page shows
    assert few == many <= 30
