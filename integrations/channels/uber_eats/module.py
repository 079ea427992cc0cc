"""Uber Eats Marketplace: OAuth2 client credentials, thin HMAC-signed webhooks, accept/deny within 11.5 minutes.

Written from Uber's public developer documentation (developer.uber.com; the stored copies read, page by page and
field by field, are listed in docs/channels/uber_eats.md, which also has the module's conformance findings):

- docs/eats/guides/authentication and docs/consumer-identity/guides/client-credentials-flow: token endpoint
  ``https://auth.uber.com/oauth/v2/token``, ``client_credentials`` grant with scopes, ``expires_in`` 2592000 s
  (30 days), cache and reuse the token, refresh on expiry or a 401; the token endpoint allows 100 requests an hour.
- docs/eats/references/api/webhooks.orders-notification, …/webhooks/orders-release and docs/eats/guides/webhooks:
  the body (``event_type``, ``event_id``, ``event_time`` in Unix seconds, ``meta.resource_id`` = the order,
  ``meta.user_id`` = the store, ``resource_href``), ``X-Uber-Signature`` (HMAC-SHA256 of the body with the client
  secret), answered 200 with an empty body; event types ``orders.notification``, ``orders.scheduled.notification``,
  ``orders.cancel`` (stores not on API 1.0.0), ``orders.failure`` (API 1.0.0), ``orders.release`` (release an
  accepted order to the kitchen). Retries: the reference says 1, 2, 4 s… up to 7 sends; the guide says 10, 30,
  60, 120 s… (doubling) up to 7 sends, only on 5xx, timeouts and network errors. Accept or deny within 11.5
  minutes or the order auto-cancels.
- docs/eats/references/api/v2/get-eats-order-orderid: ``GET /v2/eats/order/{order_id}`` (scopes ``eats.order``
  or ``eats.store.orders.read``); money as ``{amount, currency_code}`` with ``amount`` in the currency's smallest
  unit; ``type`` ``DELIVERY_BY_UBER`` / ``DELIVERY_BY_RESTAURANT`` / ``PICK_UP`` / ``DINE_IN`` (Required); every
  field the translation reads (``translate.py``) or leaves (``fields.py``).
- docs/eats/references/api/v1/post-eats-order-orderid-acceptposorder (``reason``, ``pickup_time`` in Unix
  seconds, ``fields_relayed``), …-denyposorder (``reason.code`` from a fixed list), …/post-eats-order-orderid-cancel
  (``reason`` enum, ``details`` with OTHER; 404 once the order is terminal),
  …/post-eats-orders-orderid-restaurantdelivery-status (``started`` / ``arriving`` / ``delivered``, merchant
  couriers only).
- docs/eats/guides/menu-integration and v2/post-eats-stores-storeid-menus-items-itemid (``PUT
  /v2/eats/stores/{store_id}/menus`` replaces all; sparse item updates).
- docs/eats/references/api/v1/post-eats-stores-storeid-status (``ONLINE``/``PAUSED`` + ``paused_until``,
  scope ``eats.store.status.write``) and v1/post-eats-stores-storeid-holidayhours (each call overwrites all).

Re-checked against those pages (once listed here as "not confirmed"): ``meta.resource_id`` and ``event_time``
(confirmed, webhooks.orders-notification); money as ``{amount, currency_code}`` in minor units (confirmed, the
GET's 'Money'); the order ``type`` values (confirmed, the GET's 'Order'); ``orders.cancel`` as the cancellation
event (confirmed as an event type in the guide, for stores NOT on API 1.0.0, which get ``orders.failure``).

Still not confirmed (no page in the stored copies): the bodies of ``orders.cancel``, ``orders.failure`` and
``orders.scheduled.notification`` (taken to be the common structure); whether ``charges.total`` holds the tip,
which fees ``total_fee`` holds, and whether tax is ever inside the prices (only a US, tax-on-top example exists:
the translation decides from the arithmetic of each order); whether an option's quantity is per unit of its
parent (taken so, the reading that agrees with the documented prices); the ``PUT …/menus`` reference page.
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
        "https://developer.uber.com/docs/eats/references/api/webhooks/orders-release",
        "https://developer.uber.com/docs/eats/references/api/v2/get-eats-order-orderid",
        "https://developer.uber.com/docs/eats/references/api/v1/post-eats-order-orderid-acceptposorder",
        "https://developer.uber.com/docs/eats/references/api/v1/post-eats-order-orderid-denyposorder",
        "https://developer.uber.com/docs/eats/references/api/v1/post-eats-order-orderid-cancel",
        "https://developer.uber.com/docs/eats/references/api/v1/post-eats-orders-orderid-restaurantdelivery-status",
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
    # Uber's retries keep the event's first event_time. The guide's schedule (10, 30, 60, 120, 240, 480 s: seven
    # sends) ends 15 min 40 s after the first; twice that leaves room for Uber's own delay before the first send
    # and for clock skew, so a genuine late retry is never refused as a replay. Replays of an event we hold are
    # duplicates by event_id anyway.
    webhook_tolerance = timedelta(minutes=30)
    client_class = UberEatsClient
    ignored_fields = fields.IGNORED_FIELDS
    known_gaps = fields.KNOWN_GAPS
    # "return an HTTP 200 response code with an empty response body" (webhooks.orders-notification, guides/webhooks)
    acknowledgement = Acknowledgement(status=200, body=b"")
    features = Features(
        get_order=Supported(
            GetOrderOptions(service_types=ORDERS),
            notes="GET /v2/eats/order/{order_id}. Where the page leaves it open: a v2 address has no city or "
                  "postcode, so street_address is kept whole; whether the tax is inside the prices is read from "
                  "the charges' arithmetic (the only example adds it on top); the payment method is unknown "
                  "unless cash_amount_due asks the restaurant's courier to collect; an option's quantity is per "
                  "unit of its item; who cancelled and why is not sent.",
        ),
        get_status=Supported(GetStatusOptions(service_types=ORDERS), notes="current_state of the same GET"),
        publish_catalog=Supported(
            PublishCatalogOptions(mode=CatalogMode.FULL_AND_PARTIAL, asynchronous=False, set_menus=False,
                                  partial_fields=frozenset({"price", "available"}), menus_carry_hours=True),
            notes="PUT replaces the whole menu; single items take sparse price and suspension updates. "
                  "Uber has no fixed-price set menus.",
        ),
        post_status=Supported(
            PostStatusOptions(
                statuses=frozenset({OrderStatus.ACCEPTED, OrderStatus.REJECTED, OrderStatus.CANCELLED,
                                    OrderStatus.PICKED_UP, OrderStatus.DELIVERED}),
                reason_required_for=frozenset({OrderStatus.REJECTED, OrderStatus.CANCELLED}),
                service_types=ORDERS,
                own_courier_only=frozenset({OrderStatus.PICKED_UP, OrderStatus.DELIVERED}),
                # "all orders that are scheduled must be accepted twice, once during the
                # orders.scheduled.notification and again at orders.notification" (guides/order_integration)
                accepts_scheduled_twice=True,
            ),
            notes="accept_pos_order (with the pickup time and the fields we relay), deny_pos_order (reason code), "
                  "cancel. Picked up and delivered go to restaurantdelivery/status (started, delivered) for "
                  "orders the restaurant's own courier delivers (the order's type is read first; Uber's couriers "
                  "report themselves, so their orders are left alone; the app needs the scope "
                  "eats.store.orders.restaurantdelivery.status). Uber takes no preparing or ready step.",
        ),
        post_delivery_location=NotSupported(
            "Uber Eats takes order status only, no courier position: the Marketplace APIs have no endpoint for a "
            "driver's location (the restaurant's own couriers report started / delivered through "
            "restaurantdelivery/status, a status, not a position)."
        ),
        post_availability=Supported(
            PostAvailabilityOptions(weekly_hours=False, exceptions=True, pause=True, pause_needs_until=False),
            notes="Pause: status PAUSED with paused_until, ONLINE to resume. Exceptions: holiday hours, each call "
                  "overwrites all. Regular weekly hours live in the menu's service availability, not in an "
                  "hours API, so they are not posted separately.",
        ),
        webhook_new_order=Supported(WebhookNewOrderOptions(thin=True, reservations=False),
                                    notes="orders.notification / orders.scheduled.notification carry only the "
                                          "order id: the order is fetched with one GET; the scheduled event "
                                          "marks the order scheduled (v2 orders carry no target time)"),
        webhook_status_changed=Supported(notes="orders.cancel (orders.failure on API 1.0.0) cancel the order (Uber "
                                               "says neither who nor why); orders.release (release an accepted "
                                               "order to the kitchen) is recorded, the order stays accepted"),
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
