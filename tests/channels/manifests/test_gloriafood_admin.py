"""Staff set up a GloriaFood connection in admin as for any channel: the manifest's credentials are the form's."""

from __future__ import annotations

import pytest
from django.urls import reverse

from integrations.models import Channel, Connection
from tests.admin_doors.conftest import form_errors
from tests.factories.integrations import ChannelFactory
from tests.factories.restaurants import RestaurantFactory

pytestmark = pytest.mark.django_db

ADD = "admin:integrations_connection_add"
MASTER_KEY = "gf-master-KEY-admin-0001"


def test_the_channel_module_choices_offer_the_manifest_channel(admin_client):
    page = admin_client.get(reverse("admin:integrations_channel_add")).content.decode()

    assert '<option value="gloriafood">GloriaFood (gloriafood)</option>' in page


def test_a_connection_is_created_with_the_manifests_secret_masked_and_encrypted(admin_client):
    restaurant, channel = RestaurantFactory(), ChannelFactory(module="gloriafood")
    form = admin_client.get(reverse(ADD) + f"?channel={channel.pk}&environment=production").content.decode()
    assert 'name="cred__master_key"' in form and 'name="cred__previous_master_key"' in form
    assert 'type="password"' in form.split('name="cred__master_key"')[0].rsplit("<input", 1)[1]

    response = admin_client.post(reverse(ADD), {
        "restaurant": restaurant.pk, "channel": channel.pk, "environment": "production", "store_id": "gf-admin",
        "enabled": "on", "auto_accept_prep_minutes": "20", "cred__master_key": MASTER_KEY,
    })

    assert response.status_code == 302, form_errors(response)
    created = Connection.objects.get(store_id="gf-admin")
    assert dict(created.credentials) == {"master_key": MASTER_KEY}
    assert Channel.objects.get(pk=channel.pk).module == "gloriafood"
    assert MASTER_KEY not in admin_client.get(reverse("admin:integrations_connection_change",
                                                      args=[created.pk])).content.decode()
