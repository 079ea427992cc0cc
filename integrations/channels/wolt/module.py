"""Wolt Marketplace: per-venue OAuth 2.0, thin HMAC-signed notifications, accept within 3 minutes.

Written from Wolt's public developer documentation (developer.wolt.com, and the same pages on Wolt's development
site developer.development.dev.woltapi.com; the stored copies read are listed in docs/channels/wolt.md with what
each gave, and what only third-party sources confirm):

- docs/webhook: the notification ``{id, type: "order.notification", order: {id, venue_id, status, resource_url},
  created_at}``; the notification types (CREATED, PRODUCTION, READY, CANCELED, DELIVERED; optional COURIER
  ARRIVAL, PICK-UP-COMPLETED, REVIEW) and the order status each corresponds to; "WARNING! The resource URL used in
  the notification body allows to poll an outdated order payload": this module never follows ``resource_url`` and
  fetches the current payload, ``GET /v2/orders/{order.id}`` (the page: "You can also hardcode the base URL and use
  the order.id field's value").
- docs/marketplace-integrations/restaurant-self-delivery (and …/retail-advanced/api-integration): the signature,
  HMAC-SHA256 of the request body, HEX, in the ``WOLT-SIGNATURE`` header, keyed with the client secret the partner
  gives Wolt (not the API credentials; at least 128 bits).
- docs/api/order (OrderV2) and docs/api/order-submitter (field meanings: ``type`` instant / preorder, ``pre_order``,
  ``pickup_eta``, ``consumer_phone_number`` shared only where needed, ``order_number`` "unique only for open
  orders"); docs/orderrestaurantguide (order types; a scheduled order is confirmed with
  ``/orders/{id}/confirm-preorder`` and Wolt itself accepts it later; self-delivery has a different accept endpoint);
  docs/orderretailguide (``courier.notification`` with ``courier_details.courier_pickup_eta`` and
  ``pickup_completed.notification``); docs/marketplace-integrations/order-submitter ("Orders must be accepted within
  3 minutes of being received").
- docs/api/menu (``POST /v1/restaurants/{venueId}/menu`` creates or replaces the menu) and docs/venueguide /
  docs/api/venue (venue status, ``PATCH /venues/{venueId}/status`` with ``is_online``, ``PATCH
  /venues/{venueId}/opening-times``, the ``special_times`` shape).

Only from third-party sources (no stored Wolt page shows them; docs/channels/wolt.md §5): the nested OrderV2 shapes
(items, options, delivery.location, pre_order), the OAuth token endpoint and lifetimes, the menu item shape and the
item-availability PATCH, the special-opening-times endpoint, the courier-location endpoint, and Wolt's retries
(3, five seconds apart, until a 200).
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
    PostAvailabilityOptions,
    PostDeliveryLocationOptions,
    PostStatusOptions,
    PublishCatalogOptions,
    Supported,
    WebhookNewOrderOptions,
)
from integrations.channels.limits import Deadline

from . import fields, webhooks
from .client import WoltClient
from .vocabulary import ORDER_STATUSES

ORDERS = frozenset({ServiceType.DELIVERY, ServiceType.COLLECTION, ServiceType.IN_SITU})
ACCEPT_WINDOW = timedelta(minutes=3)


class WoltCredentials(ChannelCredentials):
    client_id: str
    """The integration's OAuth client (one per integration partner)."""
    client_secret: SecretStr
    refresh_token: SecretStr
    """The venue's refresh token from the authorization code exchange (Wolt rotates it on every refresh)."""
    access_token: SecretStr | None = None
    """The access token the same exchange returned, used until ``access_token_expires_at``."""
    access_token_expires_at: datetime | None = None
    webhook_secret: SecretStr
    """The secret we gave Wolt to sign notifications (WOLT-SIGNATURE), not the API client secret."""
    previous_webhook_secret: SecretStr | None = None
    """The old webhook secret while it is being rotated: notifications signed with either are accepted."""


class Module(ChannelModule):
    slug = "wolt"
    name = "Wolt"
    documentation = (
        "https://developer.wolt.com/docs/webhook",
        "https://developer.wolt.com/docs/marketplace-integrations/restaurant-self-delivery",
        "https://developer.development.dev.woltapi.com/docs/marketplace-integrations/retail-advanced/api-integration",
        "https://developer.wolt.com/docs/api/order",
        "https://developer.wolt.com/docs/api/order-submitter",
        "https://developer.development.dev.woltapi.com/docs/marketplace-integrations/order-submitter",
        "https://developer.development.dev.woltapi.com/docs/orderrestaurantguide",
        "https://developer.development.dev.woltapi.com/docs/orderretailguide",
        "https://developer.development.dev.woltapi.com/docs/api/menu",
        "https://developer.wolt.com/docs/api/venue",
        "https://developer.development.dev.woltapi.com/docs/venueguide",
    )
    credentials = WoltCredentials
    order_statuses = ORDER_STATUSES
    default_base_urls = {"sandbox": "https://pos-integration-service.development.dev.woltapi.com",
                         "production": "https://pos-integration-service.wolt.com"}
    rate_limits = ()  # Wolt documents no figures: it answers 429 to abnormally many requests (3P), which we retry
    deadlines = (
        Deadline(status=OrderStatus.ACCEPTED, within=ACCEPT_WINDOW,
                 consequence="the venue is late: Wolt expects every order accepted within 3 minutes of receipt "
                             "(what it then does is not documented)"),
    )
    # The signed created_at is the notification's own time; Wolt retries 3 times 5 s apart (3P), so 15 minutes
    # spans its retries and any clock skew. A replay of an event we hold is a duplicate by id anyway.
    webhook_tolerance = timedelta(minutes=15)
    client_class = WoltClient
    ignored_fields = fields.IGNORED_FIELDS
    known_gaps = fields.KNOWN_GAPS
    # Wolt retries until it gets a 200 (3P): a 200 with an empty body, for every copy.
    acknowledgement = Acknowledgement(status=200, body=b"")
    features = Features(
        get_order=Supported(
            GetOrderOptions(service_types=ORDERS),
            notes="GET /v2/orders/{orderId} (OrderV2), never the notification's resource_url, which Wolt documents "
                  "as serving an outdated payload. OrderV2 sends no tax (VAT unknown), the fees as one total, and "
                  "the customer's total as basket + fees; an item's unit_price holds its options. Confirmed only by "
                  "third-party code: the nested shapes (items, options, item prices, delivery.location, fees' "
                  "breakdown, pre_order, cash_payment), money in minor units, and the OAuth token endpoint with its "
                  "rotating single-use refresh tokens.",
        ),
        get_status=Supported(GetStatusOptions(service_types=ORDERS), notes="order_status of the same GET"),
        publish_catalog=Supported(
            PublishCatalogOptions(mode=CatalogMode.FULL_AND_PARTIAL, asynchronous=False, set_menus=False,
                                  partial_fields=frozenset({"available"})),
            notes="POST /v1/restaurants/{venueId}/menu creates or replaces the menu; Wolt reports no result to "
                  "poll. Item and option availability: PATCH /venues/{venueId}/items and /options/values. "
                  "Wolt has no fixed-price set menus. Confirmed only by third-party code: the menu's item and "
                  "option shape below the category, and the availability PATCH and its body.",
        ),
        post_status=Supported(
            PostStatusOptions(
                statuses=frozenset({OrderStatus.ACCEPTED, OrderStatus.REJECTED, OrderStatus.READY,
                                    OrderStatus.PICKED_UP, OrderStatus.DELIVERED}),
                reason_required_for=frozenset({OrderStatus.REJECTED}),
                service_types=ORDERS,
                own_courier_only=frozenset({OrderStatus.DELIVERED}),
            ),
            notes="Accepted: accept, self-delivery/accept for the venue's own courier, confirm-preorder for a "
                  "scheduled order (Wolt then accepts it itself when preparation should start). Rejected with a "
                  "reason, ready, delivered (takeaway, eat-in and the venue's own deliveries; Wolt's couriers "
                  "report themselves). Wolt takes no cancellation after acceptance and no preparation time with "
                  "the accept from us (its own estimate stands).",
        ),
        post_delivery_location=Supported(
            PostDeliveryLocationOptions(own_courier_only=True),
            notes="The venue's own courier's position on a self-delivery order "
                  "(PUT /orders/{id}/delivery/tracking/location, confirmed only by third-party code).",
        ),
        post_availability=Supported(
            PostAvailabilityOptions(weekly_hours=True, exceptions=True, pause=True, pause_needs_until=False,
                                    pause_takes_until=False),
            notes="Online / offline: PATCH /venues/{venueId}/status (is_online, reason); Wolt takes no end time, "
                  "so the platform sends the resume itself when a pause with an end runs out. "
                  "Weekly hours: PATCH /venues/{venueId}/opening-times. "
                  "Exceptions: special times (a closed day as an opening of no length); their endpoint, "
                  "PUT /venues/{venueId}/special-opening-times, is confirmed only by third-party code.",
        ),
        webhook_new_order=Supported(WebhookNewOrderOptions(thin=True, reservations=False),
                                    notes="order.notification with status CREATED carries only the order id: the "
                                          "order is fetched with one GET"),
        webhook_status_changed=Supported(notes="order.notification PRODUCTION, READY, DELIVERED, CANCELED move the "
                                               "order; courier.notification (approaching, pickup ETA) and "
                                               "pickup_completed.notification are courier updates"),
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
        return webhooks.parse(connection, body)
