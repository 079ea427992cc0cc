"""Sandbox Market: our own stand-alone marketplace (``python -m channel_simulators.sandbox_market``).

It speaks its own vocabulary (tickets, integer cents, its own state names),
so this module really translates, and it supports all eight features: it is
the reference for every other module.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from pydantic import SecretStr

from canonical import InboundEvent, OrderStatus
from integrations.channels.base import ChannelModule
from integrations.channels.context import ConnectionInfo
from integrations.channels.credentials import ChannelCredentials
from integrations.channels.features import (
    CatalogMode,
    Features,
    PostAvailabilityOptions,
    PostDeliveryLocationOptions,
    PostStatusOptions,
    PublishCatalogOptions,
    Supported,
    WebhookNewOrderOptions,
    WebhookStatusOptions,
)
from integrations.channels.limits import Deadline, RateLimit

from . import fields, webhooks
from .client import SandboxMarketClient
from .sandbox import SandboxMarketControls
from .vocabulary import ORDER_STATUSES, RESERVATION_STATUSES


class SandboxMarketCredentials(ChannelCredentials):
    api_key: SecretStr
    webhook_secret: SecretStr
    previous_webhook_secret: SecretStr | None = None
    """The old secret during a rotation: webhooks signed with either are accepted."""


class Module(ChannelModule):
    slug = "sandbox_market"
    name = "Sandbox Market"
    documentation = (
        "channel_simulators/sandbox_market/api.py (the market's own API, "
        "served by `python -m channel_simulators.sandbox_market`)",
    )
    credentials = SandboxMarketCredentials
    order_statuses = ORDER_STATUSES
    reservation_statuses = RESERVATION_STATUSES
    default_base_urls = {"sandbox": "http://127.0.0.1:8100", "production": "http://127.0.0.1:8100"}
    rate_limits = (RateLimit(calls=50, per_seconds=1),)
    deadlines = (
        Deadline(status=OrderStatus.ACCEPTED, within=timedelta(minutes=10), consequence="the market voids the order"),
    )
    client_class = SandboxMarketClient
    ignored_fields = fields.IGNORED_FIELDS
    known_gaps = fields.KNOWN_GAPS
    sandbox_controls_class = SandboxMarketControls
    features = Features(
        get_order=Supported(notes="orders and table bookings"),
        get_status=Supported(),
        publish_catalog=Supported(
            PublishCatalogOptions(
                mode=CatalogMode.FULL_AND_PARTIAL,
                asynchronous=True,
                set_menus=True,
                partial_fields=frozenset({"name", "price", "available"}),
            )
        ),
        post_status=Supported(
            PostStatusOptions(
                statuses=frozenset(ORDER_STATUSES.outbound) | frozenset(RESERVATION_STATUSES.outbound),
                needs_every_step=False,
                reason_required_for=frozenset({OrderStatus.REJECTED, OrderStatus.CANCELLED}),
            )
        ),
        post_delivery_location=Supported(PostDeliveryLocationOptions(own_courier_only=False, min_interval_seconds=5)),
        post_availability=Supported(PostAvailabilityOptions(weekly_hours=True, exceptions=True, pause=True)),
        webhook_new_order=Supported(WebhookNewOrderOptions(thin=False, reservations=True)),
        webhook_status_changed=Supported(WebhookStatusOptions(includes_reservations=True)),
    )

    def verify_webhook(
        self, connection: ConnectionInfo, body: bytes, headers: Mapping[str, str], now: datetime
    ) -> None:
        webhooks.verify(connection, body, headers, now, self.webhook_tolerance)

    def webhook_dedup_key(self, connection: ConnectionInfo, body: bytes, headers: Mapping[str, str]) -> str:
        return webhooks.dedup_key(body, headers) or super().webhook_dedup_key(connection, body, headers)

    def parse_webhook(
        self, connection: ConnectionInfo, body: bytes, headers: Mapping[str, str]
    ) -> list[InboundEvent]:
        return webhooks.parse(body)
