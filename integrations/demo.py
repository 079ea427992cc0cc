"""The demo's channel: connect the demo restaurant to the Sandbox Market (idempotent: a Channel, a Connection,
a market store) and publish its menu and hours there before the first order."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from restaurants.models import Restaurant

from .models import Channel, Connection, Environment, SyncJob

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


FINISHED = (SyncJob.State.SUCCEEDED, SyncJob.State.FAILED, SyncJob.State.SUPERSEDED, SyncJob.State.CANCELLED)


@dataclass(frozen=True)
class Published:
    """What the demo told the market before its first order: each job and how it ended."""

    jobs: list[SyncJob]

    @property
    def succeeded(self) -> bool:
        return bool(self.jobs) and all(job.state == SyncJob.State.SUCCEEDED for job in self.jobs)

    def summary(self) -> str:
        return "; ".join(f"{job.get_kind_display()}: {job.state}" + (f" ({job.last_error})" if job.last_error else "")
                         for job in self.jobs)


def publish_menu_and_hours(connection: Connection, timeout: float = 60) -> Published:
    """Publish the restaurant's menu and opening hours to the market and wait until it has them.

    The demo's order generator picks items from the market's menu, so it must not start before the menu is
    there. The jobs go through the ordinary services (and outbox); they are run here, in this process, so no
    worker is needed yet; a worker that later receives their tasks finds them done.
    """
    from .outbound.runner import run_sync_job
    from .outbound.services import publish_catalog, set_opening_hours

    restaurant = connection.restaurant
    jobs = publish_catalog(restaurant, [connection])
    jobs += [job for job in set_opening_hours(restaurant) if job.connection_id == connection.pk]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for job in jobs:
            job.refresh_from_db()
        waiting = [job for job in jobs if job.state not in FINISHED]
        if not waiting:
            break
        for job in waiting:
            if job.state == SyncJob.State.PENDING and job.next_attempt_at <= timezone.now():
                run_sync_job(job.pk)
        time.sleep(0.2)
    for job in jobs:
        job.refresh_from_db()
    return Published(jobs=jobs)
