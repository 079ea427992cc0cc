"""Glovo Partners API: a static token, full-order webhooks with a shared token, cents and local times.

Sources. Glovo's reference (api-docs.glovoapp.com) is NOT in our stored copies; every field meaning comes from
third-party (3P) copies of Glovo's OpenAPI spec ("Glovo Partners API", version 1.0.0), mainly the swagger-codegen
client generated from it (3P repository albert-nipo/glovo-python-client: ``README.md`` carries the spec's
introduction, ``docs/*.md`` each model's field descriptions verbatim). docs/channels/glovo.md has the field
tables and the findings; the conformance corpus (``corpus/``) was written from them, independently of this code.
Also read: nuget.org/packages/glovo.client.csharp (the same spec's older introduction),
qcommerce-integrations.glovoapp.com/this-is-api-detail-page (bulk updates; single PATCH 120 a minute per store),
hubrise.com/apps/glovo/receive-orders (statuses; cancelling is done through Glovo support).

Confirmed by the spec (3P) and followed here:

* order notifications carry the whole order (there is no endpoint to fetch one), prices in integer cents, a
  product's price without its attributes, attribute prices per unit (translate.py);
* cancellations are a separate notification (``cancel_reason``, ``payment_strategy``; webhooks.py);
* ``PUT /webhook/stores/{storeId}/orders/{orderId}/status`` with ``{"status"}``: ACCEPTED (optional),
  READY_FOR_PICKUP (Glovo couriers' orders only), OUT_FOR_DELIVERY (marketplace orders only),
  PICKED_UP_BY_CUSTOMER (customer pickups only); no reject or cancel endpoint;
* ``GET …/menu/{transactionId}`` answers SUCCESS, PROCESSING or a named failure (FETCH_MENU_*, NOT_PROCESSED,
  LIMIT_EXCEEDED, GLOVO_ERROR); ``PATCH …/products/{id}`` and ``…/attributes/{id}``;
  ``PUT``/``DELETE …/closing`` with ``until`` (ISO-8601 with an offset, in the future);
* our calls carry the static token in ``Authorization`` as-is (the generated client's prefix is commented out).
* ``bundled_orders`` (orders "to be delivered together by a single courier"; null for marketplace orders) are
  the order's ``bundled_with``; ``customer.hash`` ("unique identifier of the customer") its
  ``channel_customer_id``; ``customer.invoicing_details`` (company name, address, tax id; null when no invoice
  is needed) its ``customer.invoicing``.

Where the spec is unclear, and the reading chosen (the one that loses nothing):

* ``utc_offset_minutes`` ("time difference in minutes between UTC and the local time of the store", a string):
  the sign is not spelled out; the example pairs "60" with a European store, so local = UTC + offset and
  UTC = local − offset. All three time fields are optional: without an offset the local times are read in the
  restaurant's time zone; without ``order_time`` the order is dated when we read it.
* VAT: no field at all, so VAT is unknown (None), never 0.00; whether prices hold VAT is not said (None).
* Scheduled orders: no field and no rule in the spec; no order is called scheduled (no threshold of ours), and
  ``estimated_pickup_time`` ("courier's expected arrival at the store") is kept as the pickup estimate for every
  fulfilment, the customer's pickup time included.
* Totals: ``total_customer_to_pay`` (marketplace only) is the customer's total; Glovo-delivered orders do not say
  what the customer paid, so their total is ``partner_discounted_products_total``.
* ``payment_method``: CASH "the courier will pay for the order with cash" (the Glovo courier pays the store; no
  amount is stated, none is invented); DELAYED "Glovo will pay for the order by an invoice". On marketplace
  orders the meanings are not restated: CASH collects ``total_customer_to_pay``, and
  ``customer_cash_payment_amount`` is kept apart as the cash the customer pays with.
* READY_FOR_PICKUP for a customer pickup: the spec says both "ready to be picked up by a courier or the
  customer" and "only available for orders delivered by Glovo couriers"; we send it (Glovo's answer decides).
* Who cancelled: only USER_ERROR names the customer; for other reasons ``by`` stays unknown.
* Not confirmed and kept as configured: how Glovo presents the shared token on its notifications (we expect it
  in ``Authorization``) and the answer it expects (the platform's 2xx); the production host
  ``https://api.glovoapp.com`` (the spec names only ``https://stageapi.glovoapp.com``); the two notification
  URLs Glovo registers (dispatched, cancelled) both point at the connection's one webhook URL, told apart by shape.

* Menu upload: the body is ``{"menu_url"}`` (StoreIdMenuBody.md), a JSON file Glovo downloads with
  ``Authorization: Bearer your-secret-token``; the platform hosts it (``ChannelTransport.host_document``, a day)
  and checks the Bearer token when ``menu_download_token`` is configured (which secret Glovo sends is not said).
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
    menu_download_token: SecretStr | None = None
    """The secret Glovo sends as ``Authorization: Bearer`` when it downloads our menu file (StoreIdMenuBody.md:
    "sending the header Authorization: Bearer your-secret-token"; which token that is, and where it is set on
    Glovo's side, is not in the stored copies). Set: the download is refused without it; unset: the file's
    unguessable URL is the only secret."""


class Module(ChannelModule):
    slug = "glovo"
    name = "Glovo"
    documentation = (
        "api-docs.glovoapp.com (Glovo's reference: NOT in the stored copies)",
        "3P: albert-nipo/glovo-python-client (client generated from Glovo's OpenAPI spec 1.0.0: README.md, "
        "docs/Order.md, OrderProducts.md, OrderAttributes.md, OrderCustomer.md, OrderCancelled.md, OrderStatus.md, "
        "OrdersApi.md, MenuApi.md, StoreIdMenuBody.md, SchedulingApi.md, StoreIdClosingBody.md)",
        "https://www.nuget.org/packages/glovo.client.csharp (the same spec's older introduction)",
        "https://qcommerce-integrations.glovoapp.com/this-is-api-detail-page",
        "https://hubrise.com/apps/glovo/receive-orders",
        "docs/channels/glovo.md (findings, field tables, what the docs leave unclear)",
    )
    credentials = GlovoCredentials
    order_statuses = ORDER_STATUSES
    default_base_urls = {"sandbox": "https://stageapi.glovoapp.com", "production": "https://api.glovoapp.com"}
    webhook_signs_body = False
    rate_limits = (
        RateLimit(calls=120, per_seconds=60, scope=LimitScope.CONNECTION, operation="update_catalog_item"),
        # "5 uploads a day per store" ([SPEC:Menu]); a sixth would come back LIMIT_EXCEEDED. The platform spreads
        # the limit (one upload per 6 h), and a newer menu replaces one still waiting.
        RateLimit(calls=5, per_seconds=24 * 3600, scope=LimitScope.CONNECTION, operation="publish_catalog"),
    )
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
                                  partial_fields=frozenset({"price", "available"})),
            notes="Full upload answers a transaction id to poll until SUCCESS or a named failure (FETCH_MENU_*, "
                  "NOT_PROCESSED, LIMIT_EXCEEDED, GLOVO_ERROR; 5 uploads a day per store). The body is {menu_url}: "
                  "the platform hosts the menu file for a day and Glovo downloads it (Bearer token checked when "
                  "menu_download_token is set). "
                  "Single products and attributes take PATCH (120 a minute per store). A variant's price change "
                  "needs a full upload.",
        ),
        post_status=Supported(
            PostStatusOptions(
                statuses=frozenset({OrderStatus.ACCEPTED, OrderStatus.READY, OrderStatus.PICKED_UP}),
                service_types=frozenset({ServiceType.DELIVERY, ServiceType.COLLECTION}),
                own_courier_only=frozenset({OrderStatus.PICKED_UP}),
                channel_courier_only=frozenset({OrderStatus.READY}),
            ),
            notes="PUT …/orders/{orderId}/status: ACCEPTED (optional: Glovo moves on without it) for every order; "
                  "READY_FOR_PICKUP only for orders Glovo's couriers deliver (and for customer pickups, where the "
                  "spec contradicts itself: 'ready to be picked up by a courier or the customer'); OUT_FOR_DELIVERY "
                  "only for marketplace orders the restaurant delivers; PICKED_UP_BY_CUSTOMER only for customer "
                  "pickups. Orders cannot be rejected or cancelled through the API (Glovo support does it).",
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
        webhook_new_order=Supported(
            WebhookNewOrderOptions(thin=False, reservations=False),
            notes="the full order, authenticated with the shared token. Read as: cents; local times with "
                  "UTC = local − utc_offset_minutes (sign not spelled out; the example gives \"60\" for a "
                  "European store), the restaurant's time zone without an offset; VAT unknown (Glovo sends none); "
                  "never scheduled (no field; estimated_pickup_time kept as the pickup estimate); total = "
                  "total_customer_to_pay on own-delivery orders, partner_discounted_products_total otherwise; "
                  "CASH = the Glovo courier pays the store, DELAYED = Glovo invoices",
        ),
        webhook_status_changed=Supported(notes="cancellations only (reason code and meaning, who only for "
                                               "USER_ERROR, payment strategy); Glovo sends no other status change"),
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
