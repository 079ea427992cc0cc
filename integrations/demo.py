"""Connect the demo restaurant to the Sandbox Market (idempotent): a Channel, a Connection, a market store."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import requests
from django.conf import settings
from django.db import transaction

from restaurants.models import Restaurant

from .models import Channel, Connection, Environment

DEMO_CHANNEL_NAME = "Sandbox Market (demo)"


@dataclass(frozen=True)
class DemoConnection:
    connection: Connection
    created: bool
    webhook_url: str


def connect_restaurant_to_sandbox(
    restaurant: Restaurant, market_url: str | None = None, public_url: str | None = None
) -> DemoConnection:
    """Create (or reuse) the connection and (re-)register the store in the running market."""
    market_url = (market_url or settings.SANDBOX_MARKET_URL).rstrip("/")
    public_url = (public_url or settings.SINQRO_PUBLIC_URL).rstrip("/")
    with transaction.atomic():
        channel, _ = Channel.objects.update_or_create(
            name=DEMO_CHANNEL_NAME, defaults={"module": "sandbox_market", "sandbox_base_url": market_url}
        )
        connection, created = Connection.objects.get_or_create(
            restaurant=restaurant,
            channel=channel,
            environment=Environment.SANDBOX,
            defaults={
                "store_id": restaurant.slug,
                "auto_accept": True,
                "credentials": {
                    "api_key": "mk_demo_" + secrets.token_urlsafe(24),
                    "webhook_secret": "whsec_demo_" + secrets.token_urlsafe(24),
                },
            },
        )
    webhook_url = f"{public_url}/webhooks/{connection.webhook_token}/"
    credentials = connection.credentials
    response = requests.post(
        f"{market_url}/_control/stores",
        json={
            "store_ref": connection.store_id,
            "api_key": credentials["api_key"],
            "webhook_secret": credentials["webhook_secret"],
            "webhook_url": webhook_url,
            "currency": restaurant.currency,
        },
        timeout=10,
    )
    response.raise_for_status()
    return DemoConnection(connection=connection, created=created, webhook_url=webhook_url)
