"""Factories for the integrations app."""

from __future__ import annotations

import factory

from integrations.models import Channel, ChannelCall, Connection, ExternalRef, SyncJob, WebhookEvent

from .restaurants import RestaurantFactory

SANDBOX_API_KEY = "mk_test_factory_API_KEY_0001"
SANDBOX_WEBHOOK_SECRET = "whsec_factory_SECRET_0001"


class ChannelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Channel
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Sandbox Market {n}")
    module = "sandbox_market"


class ConnectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Connection

    restaurant = factory.SubFactory(RestaurantFactory)
    channel = factory.SubFactory(ChannelFactory)
    environment = "sandbox"
    store_id = factory.Sequence(lambda n: f"store-{n}")
    credentials = factory.LazyFunction(
        lambda: {"api_key": SANDBOX_API_KEY, "webhook_secret": SANDBOX_WEBHOOK_SECRET}
    )


class ExternalRefFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExternalRef

    connection = factory.SubFactory(ConnectionFactory)
    kind = "product"
    local_ref = factory.Sequence(lambda n: f"SKU-{n}")
    external_id = factory.Sequence(lambda n: f"ext-{n}")
    fingerprint = "0" * 64


class ChannelCallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChannelCall

    connection = factory.SubFactory(ConnectionFactory)
    operation = "get_order"
    method = "GET"
    url = "http://127.0.0.1:8100/api/v2/stores/store-1/tickets/SM-000001"
    status_code = 200
    outcome = ChannelCall.Outcome.OK
    duration_ms = 12


class SyncJobFactory(factory.django.DjangoModelFactory):
    """A pause job that failed once (set ``state`` for the others)."""

    class Meta:
        model = SyncJob

    connection = factory.SubFactory(ConnectionFactory)
    kind = SyncJob.Kind.PAUSE
    target = "pause"
    payload = factory.LazyFunction(dict)
    state = SyncJob.State.FAILED
    attempts = 1
    last_error = "HTTP 500 from the channel"


class WebhookEventFactory(factory.django.DjangoModelFactory):
    """A stored webhook, as the endpoint leaves it (``received``); give it a ``body`` the module can parse."""

    class Meta:
        model = WebhookEvent

    connection = factory.SubFactory(ConnectionFactory)
    dedup_key = factory.Sequence(lambda n: f"event-{n}")
    body = b"{}"
