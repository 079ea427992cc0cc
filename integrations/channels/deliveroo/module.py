"""Deliveroo (Order, Menu and Site APIs): OAuth2 tokens of 5 minutes, full-order webhooks signed over GUID + body.

Written from Deliveroo's developer documentation (api-docs.deliveroo.com, its v2.0 copy, and the older
developers.deliveroo.com partner pages; the stored copies read, page by page, are in ``documentation`` and in
docs/channels/deliveroo.md, which also says what only third-party pages confirm):

- Authentication: client credentials at ``https://auth.developers.deliveroo.com/oauth2/token`` (sandbox
  ``auth-sandbox.``), Basic authorization with the client id and secret, ``expires_in`` 300 s.
- Securing Webhooks: ``X-Deliveroo-Sequence-Guid`` and ``X-Deliveroo-Hmac-Sha256``, the hex HMAC-SHA256 of
  ``guid + " " + body`` keyed with the *webhook secret* (distinct from the API secret), raw bytes, headers
  case-insensitive. Order Events webhook (``order.new``, ``order.status_update``: the whole order, its
  ``status_log`` the source of truth; retried up to 6 minutes for ASAP orders, 30 for scheduled ones; answer
  200), Rider Events webhook (``rider.status_update``; retried up to 10 minutes), Menu webhook (payload type
  ``webhook_menu``: the result of a menu upload).
- Fulfillment Types (deliveroo, customer, restaurant, table_service); Scheduled Orders (``asap`` false,
  ``confirm_at`` "at what time it should be confirmed", confirm before preparation starts, ``start_preparing_at``).
- Update Order Status ``PATCH /order/v1/orders/{id}``: placed → accepted / rejected (``reject_reason``
  closing_early, busy, ingredient_unavailable, other; ``notes``), accepted → confirmed (scheduled orders only),
  204; auto-rejected when an ASAP order is not accepted in 10 minutes (7 in Kuwait and the UAE: the deadline's
  ``in_markets``, by the restaurant's currency); 5 requests a minute per order. Prep Stages
  ``POST /order/v1/orders/{id}/prep_stage`` (in_kitchen, ready_for_collection_soon, ready_for_collection,
  collected; ``occurred_at``).
- Menu API (upload a brand's menu for its sites, item unavailabilities: available, unavailable, hidden; 1
  request per 100 ms per site); Site API under ``/site/v1/brands/{brand}/sites/{site}``: opening hours (each
  call overwrites all), status (OPEN / CLOSED; opening outside the hours is a 400), days off (records of their
  own: add, retrieve, update or cancel; reconciled by the client), workload mode (busy). The Menu webhook's
  result reaches the publish job (``publish_result_by_webhook``).

Where the documentation leaves it open, the reading that loses nothing is chosen and said in translate.py,
fields.py and docs/channels/deliveroo.md §3.
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
    NotSupported,
    PostAvailabilityOptions,
    PostStatusOptions,
    PublishCatalogOptions,
    Supported,
    WebhookNewOrderOptions,
)
from integrations.channels.limits import Deadline, LimitScope, RateLimit

from . import fields, webhooks
from .client import DeliverooClient
from .vocabulary import ORDER_STATUSES

ORDERS = frozenset({ServiceType.DELIVERY, ServiceType.COLLECTION, ServiceType.IN_SITU})
ACCEPT_WINDOW = timedelta(minutes=10)
SHORT_ACCEPT_WINDOW = (("KWD", timedelta(minutes=7)), ("AED", timedelta(minutes=7)))
"""7 minutes in Kuwait and the UAE (Update Order Status), told apart by the restaurant's currency: the Kuwaiti
dinar and the UAE dirham are each one market's, and the currency is the market fact every connection has."""
MENU_RESULT_WAIT = timedelta(minutes=40)
"""How long a menu upload waits for its Menu webhook: Deliveroo retries it up to 30 minutes; how long the upload's
own processing takes is not documented (10 minutes allowed for it)."""


class DeliverooCredentials(ChannelCredentials):
    client_id: str
    client_secret: SecretStr
    """The API client secret (our calls)."""
    webhook_secret: SecretStr
    """Signs Deliveroo's webhooks; distinct from the client secret."""
    previous_webhook_secret: SecretStr | None = None
    """The old webhook secret while it is rotated: webhooks signed with either are accepted."""
    brand_id: str
    """The brand the site belongs to (Menu and Site API paths); the connection's store id is the site id."""
    menu_id: str = "sinqro"
    """The brand's menu the platform uploads (created by the first upload)."""
    menu_name: str = "Menu"


class Module(ChannelModule):
    slug = "deliveroo"
    name = "Deliveroo"
    documentation = (
        "https://api-docs.deliveroo.com/v2.0/docs/authentication",
        "https://api-docs.deliveroo.com/docs/securing-webhooks",
        "https://api-docs.deliveroo.com/docs/signature-webhook-authentication",
        "https://developers.deliveroo.com/partner-api/webhook/validation",
        "https://api-docs.deliveroo.com/reference/order-events-webhook-1",
        "https://api-docs.deliveroo.com/docs/fulfillment-types",
        "https://api-docs.deliveroo.com/docs/scheduled-orders-1",
        "https://api-docs.deliveroo.com/v2.0/docs/remake-orders",
        "https://developers.deliveroo.com/partner-api/webhook/payloads",
        "https://api-docs.deliveroo.com/reference/rider-events-webhook-1",
        "https://api-docs.deliveroo.com/v2.0/docs/listen-to-rider-status-webhook",
        "https://api-docs.deliveroo.com/reference/get-order-location-v2",
        "https://api-docs.deliveroo.com/reference/patch-order-1",
        "https://api-docs.deliveroo.com/docs/prep-stages-endpoint",
        "https://api-docs.deliveroo.com/v2.0/docs/menu-api-overview",
        "https://deliveroo-group.readme.io/reference/menu-events-webhook",
        "https://api-docs.deliveroo.com/docs/site",
        "https://api-docs.deliveroo.com/v2.0/reference/introduction-2",
    )
    credentials = DeliverooCredentials
    order_statuses = ORDER_STATUSES
    default_base_urls = {"sandbox": "https://api-sandbox.developers.deliveroo.com",
                         "production": "https://api.developers.deliveroo.com"}
    rate_limits = (
        RateLimit(calls=5, per_seconds=60, scope=LimitScope.ORDER, operation="set_order_status"),
        RateLimit(calls=1, per_seconds=0.1, scope=LimitScope.CONNECTION, operation="update_catalog_items"),
    )
    deadlines = (
        Deadline(status=OrderStatus.ACCEPTED, within=ACCEPT_WINDOW, in_markets=SHORT_ACCEPT_WINDOW,
                 consequence="Deliveroo rejects the order automatically (7 min in Kuwait and the UAE, where the "
                             "restaurant sells in KWD or AED)"),
        Deadline(status=OrderStatus.REJECTED, within=ACCEPT_WINDOW, in_markets=SHORT_ACCEPT_WINDOW,
                 consequence="Deliveroo rejects the order automatically (7 min in Kuwait and the UAE, where the "
                             "restaurant sells in KWD or AED)"),
    )
    publish_result_by_webhook = True
    publish_result_timeout = MENU_RESULT_WAIT
    client_class = DeliverooClient
    ignored_fields = fields.IGNORED_FIELDS
    known_gaps = fields.KNOWN_GAPS
    # "Your server returns this code if it accepts the callback": 200; no body is documented, none is sent.
    acknowledgement = Acknowledgement(status=200, body=b"")
    features = Features(
        get_order=NotSupported(
            "Deliveroo's order events carry the whole order (order.new and every order.status_update), so there "
            "is nothing to fetch; no endpoint to read one order of the Order API is in the pages this module "
            "was written from."
        ),
        get_status=NotSupported(
            "No endpoint to read an order's status is in the pages this module was written from; every change "
            "comes as an order.status_update with the full status_log (retried by Deliveroo up to 6 minutes, 30 "
            "for scheduled orders)."
        ),
        publish_catalog=Supported(
            PublishCatalogOptions(mode=CatalogMode.FULL_AND_PARTIAL, asynchronous=False, set_menus=False,
                                  partial_fields=frozenset({"available"})),
            notes="PUT /menu/v1/brands/{brand}/menus/{menu} uploads the whole menu for the site; its result "
                  "comes later by the Menu webhook (a publish_result event matched by the menu id): the publish "
                  "job waits for it and ends succeeded or failed with Deliveroo's errors, or fails after 40 min "
                  "without it. Item availability: item_unavailabilities "
                  "(available / unavailable) changes only the items listed. Prices and names change by a full "
                  "upload. Deliveroo has no variants (sent as a one-of-one modifier group).",
        ),
        post_status=Supported(
            PostStatusOptions(
                statuses=frozenset({OrderStatus.ACCEPTED, OrderStatus.REJECTED, OrderStatus.PREPARING,
                                    OrderStatus.READY, OrderStatus.PICKED_UP}),
                needs_every_step=True,
                reason_required_for=frozenset({OrderStatus.REJECTED}),
                service_types=ORDERS,
            ),
            notes="PATCH status accepted / rejected (reject_reason mapped from the reason code, else other with "
                  "notes), once per order, 5 calls a minute per order. A scheduled order is confirmed (PATCH "
                  "confirmed) when it moves to preparing, which the platform does itself shortly before "
                  "confirm_at (integrations/outbound/scheduled_confirmations.py). Prep stages: in_kitchen "
                  "(preparing, ASAP orders), ready_for_collection (ready), collected (picked up). Deliveroo "
                  "takes no cancellation from the restaurant and no delivered step.",
        ),
        post_delivery_location=NotSupported(
            "Deliveroo takes no courier position: riders are Deliveroo's, and for the restaurant's own fleet "
            "the Order API has no location endpoint; Deliveroo sends rider events to us instead."
        ),
        post_availability=Supported(
            PostAvailabilityOptions(weekly_hours=True, exceptions=True, pause=True, pause_needs_until=False,
                                    pause_takes_until=False),
            notes="Opening hours: each call overwrites every weekday (a shift past midnight is split at "
                  "midnight). Closed exceptions: one day-off record each, reconciled with the site's upcoming "
                  "days off (stale ones cancelled, missing ones added, Deliveroo's FORCED_CLOSURE left alone), "
                  "so a publish never doubles them (special opening hours have no Site "
                  "API form and are not sent). Pause: site status CLOSED, resume OPEN; Deliveroo's status has "
                  "no end time, so the platform sends the resume itself at a pause's end (Deliveroo refuses to "
                  "open outside the opening hours). Busy (workload mode) is not "
                  "reachable: the canonical availability has no busy state.",
        ),
        webhook_new_order=Supported(WebhookNewOrderOptions(thin=False, reservations=False),
                                    notes="order.new carries the whole order; fulfilment deliveroo, restaurant, "
                                          "customer and table_service; scheduled orders with confirm_at"),
        webhook_status_changed=Supported(notes="order.status_update (accepted, confirmed, rejected, canceled) "
                                               "with the whole order; rider.status_update as courier updates "
                                               "on the order"),
    )

    def verify_webhook(
        self, connection: ConnectionInfo, body: bytes, headers: Mapping[str, str], now: datetime
    ) -> None:
        webhooks.verify(connection, body, headers)

    def webhook_dedup_key(self, connection: ConnectionInfo, body: bytes, headers: Mapping[str, str]) -> str:
        return webhooks.dedup_key(headers) or super().webhook_dedup_key(connection, body, headers)

    def parse_webhook(
        self, connection: ConnectionInfo, body: bytes, headers: Mapping[str, str]
    ) -> list[InboundEvent]:
        return webhooks.parse(body, headers)
