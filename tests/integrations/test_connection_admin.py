"""Support staff manage connections in admin; secrets are write-only and never shown."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from integrations.models import Connection
from tests.factories.integrations import (
    SANDBOX_API_KEY,
    SANDBOX_WEBHOOK_SECRET,
    ChannelCallFactory,
    ChannelFactory,
    ConnectionFactory,
    ExternalRefFactory,
)
from tests.factories.restaurants import RestaurantFactory, UserFactory

pytestmark = pytest.mark.django_db


def change_url(connection: Connection) -> str:
    return reverse("admin:integrations_connection_change", args=[connection.pk])


def form_data(connection: Connection, **credential_fields) -> dict:
    data = {
        "restaurant": connection.restaurant_id,
        "channel": connection.channel_id,
        "environment": connection.environment,
        "store_id": connection.store_id,
        "enabled": "on",
    }
    data.update({f"cred__{name}": value for name, value in credential_fields.items()})
    return data


@pytest.fixture
def support_agent(client):
    """Staff who may edit connections but not replace secrets."""
    user = UserFactory(is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_connection", "change_connection", "view_channel"])
    )
    client.force_login(user)
    return client


def test_change_page_never_contains_a_secret(admin_client):
    connection = ConnectionFactory()

    html = admin_client.get(change_url(connection)).content.decode()

    assert SANDBOX_API_KEY not in html
    assert SANDBOX_WEBHOOK_SECRET not in html
    assert 'name="cred__api_key"' in html  # the field is there, empty
    assert "Set (encrypted)" in html


def test_a_secret_can_be_replaced_but_blank_keeps_it(admin_client):
    connection = ConnectionFactory()

    response = admin_client.post(change_url(connection), form_data(connection, api_key="mk_new_value_999"))

    assert response.status_code == 302, response.content.decode()[:2000]
    connection.refresh_from_db()
    assert connection.credentials["api_key"] == "mk_new_value_999"
    assert connection.credentials["webhook_secret"] == SANDBOX_WEBHOOK_SECRET


def test_without_the_permission_a_posted_secret_is_ignored(support_agent):
    connection = ConnectionFactory()

    html = support_agent.get(change_url(connection)).content.decode()
    response = support_agent.post(change_url(connection), form_data(connection, api_key="attacker-value"))

    assert "replace connection secret" in html
    assert SANDBOX_API_KEY not in html
    assert response.status_code == 302
    connection.refresh_from_db()
    assert connection.credentials["api_key"] == SANDBOX_API_KEY


def test_invalid_credentials_are_refused_with_the_field_named(admin_client):
    connection = ConnectionFactory(credentials={})

    response = admin_client.post(change_url(connection), form_data(connection, api_key="only-the-key"))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["cred__webhook_secret"] == ["Field required"]
    connection.refresh_from_db()
    assert connection.credentials == {}


def test_add_then_enter_credentials(admin_client):
    restaurant = RestaurantFactory()
    channel = ChannelFactory()
    add = admin_client.post(
        reverse("admin:integrations_connection_add"),
        {"restaurant": restaurant.pk, "channel": channel.pk, "environment": "sandbox", "store_id": "new-store"},
    )
    assert add.status_code == 302
    connection = Connection.objects.get(store_id="new-store")
    assert len(connection.webhook_token) >= 40

    response = admin_client.post(
        change_url(connection), form_data(connection, api_key="k-123456", webhook_secret="s-123456")
    )

    assert response.status_code == 302
    connection.refresh_from_db()
    assert dict(connection.credentials) == {"api_key": "k-123456", "webhook_secret": "s-123456"}


def test_a_restaurant_user_without_staff_cannot_reach_admin(client):
    user = UserFactory(is_staff=False)
    client.force_login(user)

    response = client.get(reverse("admin:integrations_connection_changelist"))

    assert response.status_code == 302 and "/login/" in response["Location"]


def test_every_integrations_changelist_and_change_page_renders(admin_client):
    call = ChannelCallFactory(request_body='{"a": 1}', response_body="not json")
    ref = ExternalRefFactory(connection=call.connection)
    for name, obj in [("channel", call.connection.channel), ("connection", call.connection),
                      ("channelcall", call), ("externalref", ref)]:
        assert admin_client.get(reverse(f"admin:integrations_{name}_changelist")).status_code == 200
        assert admin_client.get(reverse(f"admin:integrations_{name}_change", args=[obj.pk])).status_code == 200


def test_connection_admin_actions_are_registered_and_work(admin_client):
    connections = ConnectionFactory.create_batch(2)
    url = reverse("admin:integrations_connection_changelist")

    chosen = {"action": "disable_connections", "_selected_action": [c.pk for c in connections]}
    asked = admin_client.post(url, chosen)
    assert asked.status_code == 200 and Connection.objects.filter(enabled=True).count() == 2  # asks first

    response = admin_client.post(url, {**chosen, "confirmed": "yes"})

    assert response.status_code == 302
    assert not Connection.objects.filter(enabled=True).exists()
    admin_client.post(url, {"action": "enable_connections", "_selected_action": [c.pk for c in connections]})
    assert Connection.objects.filter(enabled=True).count() == 2


def test_coverage_document_from_admin_as_html_and_markdown(admin_client):
    channel = ChannelFactory()

    html = admin_client.get(reverse("admin:integrations_channel_coverage", args=[channel.pk]))
    markdown = admin_client.get(reverse("admin:integrations_channel_coverage_md", args=[channel.pk]))

    assert html.status_code == 200 and "Post driver location" in html.content.decode()
    assert markdown["Content-Disposition"] == 'attachment; filename="coverage-sandbox_market.md"'
    assert "| Webhook: order / reservation status changed | yes |" in markdown.content.decode()
