"""A one-service pause on a channel that can only pause the whole restaurant is refused, not 201-and-dropped."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from integrations.models import SyncJob
from integrations.outbound.services import pause_restaurant
from integrations.outbound.services.availability import PausesOnlyWhole
from restaurants.models import Pause
from tests.factories.integrations import ChannelFactory, ConnectionFactory
from tests.factories.restaurants import RestaurantFactory

pytestmark = pytest.mark.django_db


def pause_url(pos) -> str:
    return f"/api/v1/restaurants/{pos.restaurant.pk}/availability/pause"


def test_the_api_refuses_a_delivery_only_pause_naming_the_channel_and_the_whole_pause(pos):
    until = (timezone.now() + timedelta(hours=1)).isoformat()

    response = pos.client.post(pause_url(pos), {"until": until, "reason": "no riders", "service_type": "delivery"},
                               format="json")

    assert response.status_code == 409, response.content
    error = response.json()["error"]
    assert error["code"] == "channel_pauses_whole_restaurant_only"
    assert pos.connection.channel.name in error["message"]
    assert "only pause the whole restaurant" in error["message"]
    assert "Pause every service instead" in error["message"]
    assert not Pause.objects.exists() and not SyncJob.objects.exists()


def test_the_whole_pause_it_offers_is_taken_and_sent(pos):
    until = (timezone.now() + timedelta(hours=1)).isoformat()
    response = pos.client.post(pause_url(pos), {"until": until, "reason": "no riders"}, format="json")
    assert response.status_code == 201, response.content
    [job] = SyncJob.objects.all()
    assert job.kind == SyncJob.Kind.PAUSE and job.payload["service_type"] is None


def test_every_channel_that_cannot_is_named_and_nothing_is_written():
    restaurant = RestaurantFactory()
    ConnectionFactory(restaurant=restaurant, channel=ChannelFactory(name="Sandbox Market"))
    ConnectionFactory(restaurant=restaurant, channel=ChannelFactory(name="Glovo", module="glovo"))
    with pytest.raises(PausesOnlyWhole) as refused:
        pause_restaurant(restaurant, timezone.now() + timedelta(hours=1), "rain", service_type="collection")
    assert refused.value.channels == ["Glovo", "Sandbox Market"]
    assert "Glovo, Sandbox Market can only pause the whole restaurant, not Collection alone." in str(refused.value)
    assert refused.value.service_type == "collection"
    assert not Pause.objects.exists() and not SyncJob.objects.exists()


def test_a_restaurant_with_no_channel_may_pause_one_service():
    restaurant = RestaurantFactory()
    pause = pause_restaurant(restaurant, None, "oven broken", service_type="delivery")
    assert pause.service_type == "delivery" and not SyncJob.objects.exists()


def test_the_admin_shows_the_refusal_as_a_form_error(admin_client):
    connection = ConnectionFactory()
    until = timezone.localtime(timezone.now() + timedelta(hours=1))
    data = {"restaurant": connection.restaurant.pk, "service_type": "delivery", "reason": "no riders",
            "until_0": until.strftime("%Y-%m-%d"), "until_1": until.strftime("%H:%M:%S")}

    response = admin_client.post(reverse("admin:restaurants_pause_add"), data)

    assert response.status_code == 200
    assert "only pause the whole restaurant" in response.content.decode()
    assert not Pause.objects.exists() and not SyncJob.objects.exists()


def test_the_refusal_is_in_spanish_for_a_spanish_pos(pos):
    until = (timezone.now() + timedelta(hours=1)).isoformat()
    response = pos.client.post(pause_url(pos), {"until": until, "reason": "x", "service_type": "delivery"},
                               format="json", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 409
    assert "solo puede pausar el restaurante entero" in response.json()["error"]["message"]
