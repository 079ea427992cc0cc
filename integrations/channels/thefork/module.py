"""TheFork (TheFork Manager B2B API): reservations announced by thin event webhooks, fetched with their customer.

Written from TheFork's public developer documentation (docs.thefork.io; the pages, what each settles and what
could only be confirmed from third-party copies are in docs/channels/thefork.md):

- B2B-API/authentication and preliminary-steps: Auth0 client credentials at ``https://auth.thefork.io/oauth/token``
  (``audience=https://api.thefork.io``), a token of 8600 s not to be requested again before it expires,
  ``Authorization: Bearer`` on ``https://api.thefork.io/manager/{version}/{path}``.
- B2B-API/event-webhook-flow: a POST endpoint "with a custom URL and a token"; payloads ``entityType``, ``uuid``,
  ``eventType`` (+ ``groupUuid``, ``restaurantUuid``); fetch the latest data; "respond ... with a 200 HTTP status
  code".
- B2B-API/API specifications: get-v-1-reservations-id ('Data - Get reservation details', the statuses),
  get-v-1-customers-id ('Data - Get customer details'), patch-v-1-reservations-id-cancel ('Booking flow - Cancel
  reservation'), patch-v-1-reservations-id (changes only mealDate and partySize), get-v-1-restaurants-id-timeslots
  (time slots can be read, not opened or closed).
- POS-API/how-it-works: TheFork Manager marks guests ARRIVED or SEATED, then LEFT.

Not in the pages: rate limits (none published; third-party summaries say they are set per partner contract),
a sandbox host (the same host is used for both environments), a way to post any status but a cancellation, a
way to open or close time slots.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from pydantic import SecretStr

from canonical import InboundEvent, OrderStatus, ServiceType
from integrations.channels.base import Acknowledgement, ChannelModule
from integrations.channels.context import ConnectionInfo
from integrations.channels.credentials import ChannelCredentials
from integrations.channels.features import (
    Features,
    GetOrderOptions,
    GetStatusOptions,
    NotSupported,
    PostStatusOptions,
    Supported,
    WebhookNewOrderOptions,
    WebhookStatusOptions,
)
from integrations.channels.statuses import StatusMap

from . import fields, webhooks
from .client import TheForkClient
from .vocabulary import RESERVATION_STATUSES

RESERVATIONS = frozenset({ServiceType.RESERVATION})
SPECS = "https://docs.thefork.io/B2B-API/API%20specifications/"


class TheForkCredentials(ChannelCredentials):
    client_id: str
    client_secret: SecretStr
    """Sent by TheFork "through a safe channel"; exchanged for the bearer token."""
    group_uuid: str = ""
    """The restaurant group's uuid (webhooks carry it as ``groupUuid``); when set, another group's event is refused."""


class Module(ChannelModule):
    slug = "thefork"
    name = "TheFork"
    documentation = (
        "https://docs.thefork.io/B2B-API/authentication",
        "https://docs.thefork.io/preliminary-steps",
        "https://docs.thefork.io/B2B-API/event-webhook-flow",
        SPECS + "get-v-1-reservations-id",
        SPECS + "get-v-1-customers-id",
        SPECS + "patch-v-1-reservations-id-cancel",
        SPECS + "patch-v-1-reservations-id",
        SPECS + "get-v-1-restaurants-id-timeslots",
        "https://docs.thefork.io/POS-API/how-it-works",
    )
    credentials = TheForkCredentials
    order_statuses = StatusMap(inbound={})  # TheFork takes reservations only: no order has a TheFork status
    reservation_statuses = RESERVATION_STATUSES
    default_base_urls = {"sandbox": "https://api.thefork.io/manager", "production": "https://api.thefork.io/manager"}
    rate_limits = ()  # none published (see the module docstring)
    deadlines = ()  # none: a requested reservation waits for the restaurant in TheFork Manager, no window is given
    webhook_signs_body = False  # the token is in the URL; the body is not signed
    client_class = TheForkClient
    ignored_fields = fields.IGNORED_FIELDS
    known_gaps = fields.KNOWN_GAPS
    # "Acknowledge Request: respond to the webhook event with a 200 HTTP status code": no body is named.
    acknowledgement = Acknowledgement(status=200, body=b"")
    features = Features(
        get_order=Supported(
            GetOrderOptions(service_types=RESERVATIONS),
            notes="GET /v1/reservations/{id}, then GET /v1/customers/{customerUuid} for the guest's name, phone, "
                  "email and allergies. The reservation has no creation time (it is dated by its fetch) and no "
                  "amounts.",
        ),
        get_status=Supported(GetStatusOptions(service_types=RESERVATIONS),
                             notes="the status of GET /v1/reservations/{id}"),
        publish_catalog=NotSupported(
            "TheFork's B2B API has no menu upload: offers and preset menus are set up in TheFork Manager, and the "
            "API only names the one a reservation was booked with."
        ),
        post_status=Supported(
            PostStatusOptions(statuses=frozenset({OrderStatus.CANCELLED}), service_types=RESERVATIONS),
            notes="PATCH /v1/reservations/{id}/cancel (no reason is taken). The B2B API documents no call to "
                  "confirm or refuse a requested reservation, seat the guests or mark a no-show: the restaurant "
                  "does those in TheFork Manager, and they come back to us by webhook. A reservation confirmed, "
                  "seated or completed here stays ours only.",
        ),
        post_delivery_location=NotSupported("TheFork takes reservations: nothing is delivered."),
        post_availability=NotSupported(
            "TheFork's B2B API lets us read a restaurant's time slots (GET /v1/restaurants/{id}/timeslots) but "
            "documents no call to open or close them, nor to set opening hours or pause bookings: those are set in "
            "TheFork Manager."
        ),
        webhook_new_order=Supported(
            WebhookNewOrderOptions(thin=True, reservations=True),
            notes="reservationCreated carries the reservation's uuid only: the reservation and its customer are "
                  "fetched. Customer and review events move no reservation and are stored as ignored.",
        ),
        webhook_status_changed=Supported(
            WebhookStatusOptions(includes_reservations=True),
            notes="reservationUpdated says only that a reservation changed (no status, no time): the reservation "
                  "is fetched again and its status taken forward (confirmed, refused, cancelled, no-show, arrived, "
                  "seated, left). Two updates of one reservation are identical bytes, so the second is taken as a "
                  "redelivery and its status healed by reconciliation. ARRIVED, SEATED and LEFT are named by "
                  "TheFork's POS API pages (TheFork Manager's meal statuses); only third-party copies of the B2B "
                  "schema list them on a reservation, so they are mapped rather than assumed absent.",
        ),
    )

    def verify_webhook(
        self, connection: ConnectionInfo, body: bytes, headers: Mapping[str, str], now: datetime
    ) -> None:
        webhooks.verify(connection, body)

    def webhook_dedup_key(self, connection: ConnectionInfo, body: bytes, headers: Mapping[str, str]) -> str:
        return webhooks.dedup_key(body) or super().webhook_dedup_key(connection, body, headers)

    def parse_webhook(
        self, connection: ConnectionInfo, body: bytes, headers: Mapping[str, str]
    ) -> list[InboundEvent]:
        return webhooks.parse(body)
