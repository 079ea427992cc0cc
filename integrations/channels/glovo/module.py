"""Glovo Partners API: a static token, full-order webhooks with a shared token, cents and local times.

Sources (stored copies read for this module):

- nuget.org/packages/glovo.client.csharp: the Glovo Partners API introduction (one static token for all stores,
  the store's own identifier as a path parameter ``/stores/YOUR-STORE-ID/…``, notification URLs per event such
  as an order dispatched to the store).
- qcommerce-integrations.glovoapp.com/this-is-api-detail-page: Partners API (Order API; Stock & Price API:
  bulk updates with a status to verify, single-product PATCH limited to 120 calls a minute per store).
- hubrise.com/apps/glovo/receive-orders: Glovo's statuses (Accepted, Ready_for_pickup, Out_for_delivery,
  Picked_up_by_customer), which are the ones a partner can set; cancelling is done through Glovo support.
- en-api-integration.docs.app.onlineservice.io: a Glovo integrator's guide (notifications for new and cancelled
  orders; menu updates are the other mandatory operation).

The Glovo API reference itself (api-docs.glovoapp.com) was NOT reachable in our stored copies. Endpoint paths,
field names and shapes therefore follow ../shared/CHANNELS.md and are to be re-checked against the reference
before production: ``Authorization: <token>``; ``PATCH /webhook/stores/{storeId}/orders/{orderId}/status``;
``POST /webhook/stores/{storeId}/menu`` answering a ``transaction_id`` polled at ``GET …/menu/{transactionId}``
(if the real upload takes a URL to a hosted menu file instead of the inline menu, the client must host it);
``PATCH …/products/{productId}`` and ``…/attributes/{attributeId}``; ``PUT``/``DELETE …/closing`` with
``until``; order notifications with ``order_time`` in local time plus ``utc_offset_minutes``, prices in cents.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from pydantic import SecretStr

from canonical import InboundEvent, OrderStatus, ServiceType
from integrations.channels.base import ChannelModule
from integrations.channels.context import ConnectionInfo
from integrations.channels.credentials import ChannelCredentials
from integrations.channels.features import (
    CatalogMode,
    Features,
    NotSupported,
    PostAvailabilityOptions,
    PostStatusOptions,
    PublishCatalogOptions,
    Supported,
    WebhookNewOrderOptions,
)
from integrations.channels.limits import LimitScope, RateLimit

from . import fields, webhooks
from .client import GlovoClient
from .vocabulary import ORDER_STATUSES


class GlovoCredentials(ChannelCredentials):
    api_token: SecretStr
    """Glovo's static token, sent as-is in ``Authorization`` on our calls."""
    webhook_token: SecretStr
    """The token we gave Glovo; it comes back in ``Authorization`` on every notification."""
    previous_webhook_token: SecretStr | None = None
    """The old webhook token while it is being rotated."""


class Module(ChannelModule):
    slug = "glovo"
    name = "Glovo"
    documentation = (
        "https://www.nuget.org/packages/glovo.client.csharp (Glovo Partners API introduction)",
        "https://qcommerce-integrations.glovoapp.com/this-is-api-detail-page",
        "https://hubrise.com/apps/glovo/receive-orders",
        "https://en-api-integration.docs.app.onlineservice.io",
        "api-docs.glovoapp.com (not reachable; shapes per ../shared/CHANNELS.md)",
    )
    credentials = GlovoCredentials
    order_statuses = ORDER_STATUSES
    default_base_urls = {"sandbox": "https://stageapi.glovoapp.com", "production": "https://api.glovoapp.com"}
    webhook_signs_body = False
    rate_limits = (RateLimit(calls=120, per_seconds=60, scope=LimitScope.CONNECTION,
                             operation="update_catalog_item"),)
    client_class = GlovoClient
    ignored_fields = fields.IGNORED_FIELDS
    known_gaps = fields.KNOWN_GAPS
    features = Features(
        get_order=NotSupported("Glovo has no endpoint to fetch an order: every order arrives complete in its "
                               "webhook, so there is nothing to fetch or reconcile."),
        get_status=NotSupported("Glovo has no endpoint to read an order's status; it notifies cancellations "
                                "and takes the statuses we post."),
        publish_catalog=Supported(
            PublishCatalogOptions(mode=CatalogMode.FULL_AND_PARTIAL, asynchronous=True, set_menus=False,
                                  partial_fields=frozenset({"name", "price", "available"})),
            notes="Full upload answers a transaction id to poll until SUCCESS or FAILED; single products and "
                  "attributes take PATCH (120 a minute per store). A variant's price change needs a full upload.",
        ),
        post_status=Supported(
            PostStatusOptions(
                statuses=frozenset({OrderStatus.ACCEPTED, OrderStatus.READY, OrderStatus.PICKED_UP}),
                service_types=frozenset({ServiceType.DELIVERY, ServiceType.COLLECTION}),
            ),
            notes="ACCEPTED (optional), READY_FOR_PICKUP, OUT_FOR_DELIVERY (own courier), PICKED_UP_BY_CUSTOMER. "
                  "Orders cannot be rejected or cancelled through the API (Glovo support does it).",
        ),
        post_delivery_location=NotSupported(
            "Glovo's Partners API has no endpoint for a courier's position: an order delivered by the "
            "restaurant only takes the OUT_FOR_DELIVERY status."
        ),
        post_availability=Supported(
            PostAvailabilityOptions(weekly_hours=False, exceptions=False, pause=True, pause_needs_until=True),
            notes="Only a temporary closing until a time (DELETE reopens). Glovo has no API to change regular "
                  "opening hours or holidays: they are set by Glovo's account manager.",
        ),
        webhook_new_order=Supported(WebhookNewOrderOptions(thin=False, reservations=False),
                                    notes="the full order, authenticated with the shared token"),
        webhook_status_changed=Supported(notes="cancellations only; Glovo sends no other status change"),
    )

    def verify_webhook(
        self, connection: ConnectionInfo, body: bytes, headers: Mapping[str, str], now: datetime
    ) -> None:
        webhooks.verify(connection, headers)

    def webhook_dedup_key(self, connection: ConnectionInfo, body: bytes, headers: Mapping[str, str]) -> str:
        return webhooks.dedup_key(body) or super().webhook_dedup_key(connection, body, headers)

    def parse_webhook(
        self, connection: ConnectionInfo, body: bytes, headers: Mapping[str, str]
    ) -> list[InboundEvent]:
        return webhooks.parse(body, connection.timezone)
