"""A restaurant's page and buttons reach its own orders and connections only, never another restaurant's."""

from __future__ import annotations

import pytest

from integrations.models import Connection, SyncJob
from integrations.pages.status import restaurant_status
from tests.factories.integrations import ChannelFactory, ConnectionFactory
from tests.factories.orders import OrderFactory
from tests.factories.restaurants import RestaurantFactory, RestaurantMemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    return RestaurantMemberFactory(restaurant__name="Casa Lucía", restaurant__slug="casa-lucia")


@pytest.fixture
def own(member):
    return ConnectionFactory(restaurant=member.restaurant, channel=ChannelFactory(name="Market ES"))


@pytest.fixture
def stranger():
    """Another restaurant's connection, on a channel that can be paused and takes menus."""
    return ConnectionFactory(restaurant=RestaurantFactory(name="Otro Sitio", slug="otro-sitio"),
                             channel=ChannelFactory(name="Market PT"))


def test_recent_orders_are_the_restaurants_own_even_when_another_restaurant_has_newer_ones(member, own, stranger):
    ours = OrderFactory(restaurant=member.restaurant, connection=own, display_code="OURS-1")
    theirs = OrderFactory(restaurant=stranger.restaurant, connection=stranger, display_code="THEIRS-1",
                          placed_at=ours.placed_at.replace(year=ours.placed_at.year + 1))

    status = restaurant_status(member.restaurant)

    assert [row.order.pk for row in status.recent_orders] == [ours.pk]
    assert theirs.pk not in {row.order.pk for row in status.recent_orders}


def test_the_live_fragment_never_shows_another_restaurants_order(client, member, own, stranger):
    OrderFactory(restaurant=member.restaurant, connection=own, display_code="OURS-1")
    OrderFactory(restaurant=stranger.restaurant, connection=stranger, display_code="THEIRS-1")
    client.force_login(member.user)

    page = client.get("/restaurants/casa-lucia/live/").content.decode()

    assert "OURS-1" in page and "THEIRS-1" not in page


@pytest.mark.parametrize("button, data", [("publish", {}), ("pause", {"minutes": "15"}), ("resume", {})])
def test_a_connection_button_refuses_another_restaurants_connection_under_our_own_page(
        client, member, own, stranger, button, data):
    # The member may act on casa-lucia; the id in the URL is otro-sitio's connection.
    stranger.channel_paused = button == "resume"
    stranger.save()
    client.force_login(member.user)

    response = client.post(f"/restaurants/casa-lucia/connections/{stranger.pk}/{button}/", data)

    assert response.status_code == 404
    assert not SyncJob.objects.exists()
    assert Connection.objects.get(pk=stranger.pk).channel_paused == (button == "resume")
    # And the same button on our own connection does act, so the 404 is about whose connection it is.
    own.channel_paused = button == "resume"
    own.save()
    assert client.post(f"/restaurants/casa-lucia/connections/{own.pk}/{button}/", data).status_code == 302
    assert SyncJob.objects.filter(connection=own).exists()
