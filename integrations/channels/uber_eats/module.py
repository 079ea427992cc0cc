"""Uber Eats Marketplace: OAuth2 client credentials, thin HMAC-signed webhooks, accept/deny within 11.5 minutes.

Written from Uber's public developer documentation (developer.uber.com, stored copies read for this module):

- docs/eats/guides/authentication and docs/consumer-identity/guides/client-credentials-flow: token endpoint
  ``https://auth.uber.com/oauth/v2/token``, ``client_credentials`` grant with scopes, ``expires_in`` 2592000 s
  (30 days), cache and reuse the token, refresh on expiry or a 401; the token endpoint allows 100 requests an hour.
- docs/eats/guides/webhooks and docs/eats/references/api/webhooks.orders-notification: event types
  (``orders.notification``, ``orders.scheduled.notification``, ``orders.failure``, ``orders.release``),
  ``X-Uber-Signature`` (HMAC-SHA256 of the body with the client secret), 200 with an empty body,
  retries 1, 2, 4 s… up to 7 sends, accept or deny within 11.5 minutes or the order auto-cancels.
- docs/eats/references/api/v2/get-eats-order-orderid: ``GET /v2/eats/order/{order_id}``
  (scopes ``eats.order`` or ``eats.store.orders.read``), ``current_state``, ``display_id``.
- docs/eats/references/api/v1/post-eats-order-orderid-acceptposorder (``reason``, ``pickup_time`` in Unix
  seconds), …-denyposorder (``reason.code`` from a fixed list), docs/deliveries/direct/api/v1/
  post-eats-orders-orderid-cancel (``reason`` enum; 404 once the order is terminal).
- docs/eats/guides/menu-integration, docs/eats/references/api/v2/example-menu-payloads and
  v2/post-eats-stores-storeid-menus-items-itemid (``PUT /v2/eats/stores/{store_id}/menus`` replaces all;
  sparse item updates).
- docs/eats/references/api/v1/post-eats-stores-storeid-status (``ONLINE``/``PAUSED`` + ``paused_until``,
  scope ``eats.store.status.write``) and v1/post-eats-stores-storeid-holidayhours (each call overwrites all).

Not confirmed in the stored copies, taken from ../shared/CHANNELS.md: the webhook body's ``meta.resource_id``
and ``event_time``; ``orders.cancel`` as the cancellation event on current API versions; money as
``{amount, currency_code}`` with ``amount`` in minor units; the order ``type`` values.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from pydantic import SecretStr

from canonical import InboundEvent, OrderStatus, ServiceType
from integrations.channels.base import Acknowledgement, ChannelModule
from integrations.channels.context import ConnectionInfo
from integrations.channels.credentials import ChannelCredentials
from integrations.channels.features import (
    CatalogMode,
    Features,
    GetOrderOptions,
    GetStatusOptions,
    NotSupported,
    PostAvailabilityOptions,
    PostStatusOptions,
    PublishCatalogOptions,
    Supported,
    WebhookNewOrderOptions,
)
from integrations.channels.limits import Deadline, LimitScope, RateLimit

from . import fields, webhooks
from .client import UberEatsClient
from .vocabulary import ORDER_STATUSES

ORDERS = frozenset({ServiceType.DELIVERY, ServiceType.COLLECTION, ServiceType.IN_SITU})
ACCEPT_WINDOW = timedelta(minutes=11.5)


class UberEatsCredentials(ChannelCredentials):
    client_id: str
    client_secret: SecretStr
    """Authenticates our calls and signs Uber's webhooks."""
    previous_client_secret: SecretStr | None = None
    """The old secret while it is being rotated: webhooks signed with either are accepted."""


class Module(ChannelModule):
    slug = "uber_eats"
    name = "Uber Eats"
    documentation = (
        "https://developer.uber.com/docs/eats/guides/authentication",
        "https://developer.uber.com/docs/consumer-identity/guides/client-credentials-flow",
        "https://developer.uber.com/docs/eats/guides/webhooks",
        "https://developer.uber.com/docs/eats/references/api/webhooks.orders-notification",
        "https://developer.uber.com/docs/eats/references/api/v2/get-eats-order-orderid",
        "https://developer.uber.com/docs/eats/references/api/v1/post-eats-order-orderid-acceptposorder",
        "https://developer.uber.com/docs/eats/references/api/v1/post-eats-order-orderid-denyposorder",
        "https://developer.uber.com/docs/deliveries/direct/api/v1/post-eats-orders-orderid-cancel",
        "https://developer.uber.com/docs/eats/guides/menu-integration",
        "https://developer.uber.com/docs/eats/references/api/v2/post-eats-stores-storeid-menus-items-itemid",
        "https://developer.uber.com/docs/eats/references/api/v1/post-eats-stores-storeid-status",
        "https://developer.uber.com/docs/eats/references/api/v1/post-eats-stores-storeid-holidayhours",
    )
    credentials = UberEatsCredentials
    order_statuses = ORDER_STATUSES
    default_base_urls = {"sandbox": "https://test-api.uber.com", "production": "https://api.uber.com"}
    rate_limits = (RateLimit(calls=100, per_seconds=3600, scope=LimitScope.CHANNEL, operation="oauth_token"),)
    deadlines = (
        Deadline(status=OrderStatus.ACCEPTED, within=ACCEPT_WINDOW, consequence="the order is auto-cancelled"),
        Deadline(status=OrderStatus.REJECTED, within=ACCEPT_WINDOW, consequence="the order is auto-cancelled"),
    )
    client_class = UberEatsClient
    ignored_fields = fields.IGNORED_FIELDS
    known_gaps = fields.KNOWN_GAPS
    # "return an HTTP 200 response code with an empty response body" (webhooks.orders-notification, guides/webhooks)
    acknowledgement = Acknowledgement(status=200, body=b"")
    features = Features(
        get_order=Supported(GetOrderOptions(service_types=ORDERS), notes="GET /v2/eats/order/{order_id}"),
        get_status=Supported(GetStatusOptions(service_types=ORDERS), notes="current_state of the same GET"),
        publish_catalog=Supported(
            PublishCatalogOptions(mode=CatalogMode.FULL_AND_PARTIAL, asynchronous=False, set_menus=False,
                                  partial_fields=frozenset({"price", "available"})),
            notes="PUT replaces the whole menu; single items take sparse price and suspension updates. "
                  "Uber has no fixed-price set menus.",
        ),
        post_status=Supported(
            PostStatusOptions(
                statuses=frozenset({OrderStatus.ACCEPTED, OrderStatus.REJECTED, OrderStatus.CANCELLED}),
                reason_required_for=frozenset({OrderStatus.REJECTED, OrderStatus.CANCELLED}),
                service_types=ORDERS,
            ),
            notes="accept_pos_order (with the pickup time), deny_pos_order (reason code), cancel; "
                  "Uber takes no preparation, ready or delivered steps.",
        ),
        post_delivery_location=NotSupported(
            "Uber Eats takes order status only, no courier position: its couriers are Uber's own and the "
            "Marketplace APIs have no endpoint for a driver's location."
        ),
        post_availability=Supported(
            PostAvailabilityOptions(weekly_hours=False, exceptions=True, pause=True, pause_needs_until=False),
            notes="Pause: status PAUSED with paused_until, ONLINE to resume. Exceptions: holiday hours, each call "
                  "overwrites all. Regular weekly hours live in the menu's service availability, not in an "
                  "hours API, so they are not posted separately.",
        ),
        webhook_new_order=Supported(WebhookNewOrderOptions(thin=True, reservations=False),
                                    notes="orders.notification / orders.scheduled.notification carry only the "
                                          "order id: the order is fetched with one GET"),
        webhook_status_changed=Supported(notes="orders.cancel (and orders.failure on API 1.0.0) for "
                                               "cancellations; orders.release is recorded as a courier sub-state"),
    )

    def verify_webhook(
        self, connection: ConnectionInfo, body: bytes, headers: Mapping[str, str], now: datetime
    ) -> None:
        webhooks.verify(connection, body, headers, now, self.webhook_tolerance)

    def webhook_dedup_key(self, connection: ConnectionInfo, body: bytes, headers: Mapping[str, str]) -> str:
        return webhooks.dedup_key(body) or super().webhook_dedup_key(connection, body, headers)

    def parse_webhook(
        self, connection: ConnectionInfo, body: bytes, headers: Mapping[str, str]
    ) -> list[InboundEvent]:
        return webhooks.parse(body)
