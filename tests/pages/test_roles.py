"""Managers act, staff members look, support staff need the admin permission for what they do on pages."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from integrations.models import SyncJob
from restaurants.models import Pause, RestaurantMember
from tests.factories.integrations import ChannelFactory, ConnectionFactory
from tests.factories.restaurants import RestaurantFactory, RestaurantMemberFactory, UserFactory

pytestmark = pytest.mark.django_db

ACTIONS = ["pause/", "resume/", "connections/{c}/publish/", "connections/{c}/pause/", "connections/{c}/resume/"]


@pytest.fixture
def restaurant():
    return RestaurantFactory(name="Casa Lucía", slug="casa-lucia")


@pytest.fixture
def connection(restaurant):
    return ConnectionFactory(restaurant=restaurant, channel=ChannelFactory(name="Sandbox Market ES"))


def _post_every_action(client, connection) -> list[int]:
    return [
        client.post(f"/restaurants/casa-lucia/{path.format(c=connection.pk)}", {"minutes": "15"}).status_code
        for path in ACTIONS
    ]


def _support(*codenames: str):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="restaurants", codename__in=codenames))
    return user


def test_a_staff_member_sees_the_page_without_buttons_and_every_action_is_refused(client, restaurant, connection):
    waiter = RestaurantMemberFactory(restaurant=restaurant, role=RestaurantMember.Role.STAFF).user
    client.force_login(waiter)

    page = client.get("/restaurants/casa-lucia/").content.decode()
    assert "Sandbox Market ES" in page and 'data-testid="look-only"' in page
    assert "Pause every channel" not in page and "Publish menu now" not in page
    assert "Publish menu now" not in client.get("/restaurants/casa-lucia/live/").content.decode()
    assert _post_every_action(client, connection) == [403] * len(ACTIONS)
    assert not Pause.objects.exists() and not SyncJob.objects.exists()


def test_a_manager_sees_the_buttons_and_acts(client, restaurant, connection):
    manager = RestaurantMemberFactory(restaurant=restaurant, role=RestaurantMember.Role.MANAGER).user
    client.force_login(manager)

    page = client.get("/restaurants/casa-lucia/").content.decode()
    assert "Pause every channel" in page and "Publish menu now" in page
    assert all(code == 302 for code in _post_every_action(client, connection))
    assert Pause.objects.filter(restaurant=restaurant).exists()


def test_support_staff_without_the_admin_permission_see_nothing(client, restaurant, connection):
    client.force_login(_support())

    assert "Casa Lucía" not in client.get("/restaurants/").content.decode()
    assert client.get("/restaurants/casa-lucia/").status_code == 404
    assert _post_every_action(client, connection) == [404] * len(ACTIONS)


def test_support_staff_who_may_view_look_and_who_may_change_act(client, restaurant, connection):
    RestaurantFactory(name="Otro Sitio", slug="otro-sitio")
    client.force_login(_support("view_restaurant"))
    listing = client.get("/restaurants/").content.decode()
    assert "Casa Lucía" in listing and "Otro Sitio" in listing
    assert "Pause every channel" not in client.get("/restaurants/casa-lucia/").content.decode()
    assert _post_every_action(client, connection) == [403] * len(ACTIONS)

    client.force_login(_support("view_restaurant", "change_restaurant"))
    assert "Pause every channel" in client.get("/restaurants/casa-lucia/").content.decode()
    assert all(code == 302 for code in _post_every_action(client, connection))
