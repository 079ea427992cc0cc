"""Pause and resume one channel from its card; the restaurant keeps selling on the others."""

from __future__ import annotations

import pytest

from integrations.models import Connection, SyncJob
from restaurants.models import Pause
from tests.factories.integrations import ChannelFactory, ConnectionFactory
from tests.factories.restaurants import RestaurantMemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    return RestaurantMemberFactory(restaurant__name="Casa Lucía", restaurant__slug="casa-lucia")


@pytest.fixture
def two_channels(member):
    return (
        ConnectionFactory(restaurant=member.restaurant, channel=ChannelFactory(name="Market ES")),
        ConnectionFactory(restaurant=member.restaurant, channel=ChannelFactory(name="Market PT")),
    )


def test_pausing_one_channel_sends_one_job_and_leaves_the_restaurant_open(client, member, two_channels):
    paused, other = two_channels
    client.force_login(member.user)

    response = client.post(f"/restaurants/casa-lucia/connections/{paused.pk}/pause/", {"minutes": "15"}, follow=True)

    assert "Paused on Market ES for 15 minutes." in response.content.decode()
    jobs = SyncJob.objects.filter(kind=SyncJob.Kind.PAUSE)
    assert [job.connection_id for job in jobs] == [paused.pk]
    assert jobs.get().payload["until"] is not None
    assert not Pause.objects.exists()  # the restaurant itself is not paused
    paused.refresh_from_db()
    assert paused.is_channel_paused() and not Connection.objects.get(pk=other.pk).is_channel_paused()
    live = client.get("/restaurants/casa-lucia/live/").content.decode()
    assert "paused on this channel until" in live and "Resume Market ES" in live


def test_resuming_the_channel_sends_a_resume_job(client, member, two_channels):
    paused, _ = two_channels
    client.force_login(member.user)
    client.post(f"/restaurants/casa-lucia/connections/{paused.pk}/pause/", {"minutes": "resume"})

    client.post(f"/restaurants/casa-lucia/connections/{paused.pk}/resume/")

    paused.refresh_from_db()
    assert not paused.is_channel_paused()
    assert list(SyncJob.objects.filter(connection=paused).values_list("kind", flat=True).order_by("id")) == [
        "pause", "resume"]


def test_a_channel_without_a_pause_api_refuses_with_the_reason(client, member, settings):
    settings.SINQRO_EXTRA_CHANNEL_MODULES = ["tests.channels.broken_module.BrokenModule"]
    connection = ConnectionFactory(restaurant=member.restaurant, channel=ChannelFactory(name="Broken", module="broken"))
    client.force_login(member.user)

    response = client.post(f"/restaurants/casa-lucia/connections/{connection.pk}/pause/", {"minutes": "15"},
                           follow=True)

    assert "Not paused: Broken cannot be paused from here: no hours API." in response.content.decode()
    assert not SyncJob.objects.exists()
    connection.refresh_from_db()
    assert not connection.channel_paused


def test_another_restaurants_channel_cannot_be_paused(client, member):
    stranger = ConnectionFactory()
    client.force_login(member.user)

    response = client.post(f"/restaurants/casa-lucia/connections/{stranger.pk}/pause/", {"minutes": "15"})

    assert response.status_code == 404
    assert not SyncJob.objects.exists()
