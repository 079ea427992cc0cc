"""The module contract: what an integration engineer writes to add a channel.

A channel module is one package under ``integrations/channels/<slug>/`` that
exposes ``Module`` (a ``ChannelModule`` subclass). It translates between the
channel's data and canonical types and nothing else: it never touches the
ORM, Celery or Django requests. The platform owns persistence, queues,
retries, idempotency and logging, so a fix there is made once for every
channel.

A module declares:

* ``features``: each of the eight features supported (with typed options)
  or not supported with a reason;
* ``credentials`` (and optionally ``production_credentials``): a typed schema;
* ``order_statuses`` / ``reservation_statuses``: the two-way status mapping;
* ``rate_limits`` and ``deadlines``;
* ``ignored_fields``: each field of the channel's payloads it does not read, with the reason;
* ``acknowledgement``: the answer the channel documents for a webhook (default: the platform's JSON);

and implements ``verify_webhook``, ``webhook_dedup_key`` and
``parse_webhook`` for inbound webhooks, and a ``ChannelClient`` subclass for
outbound operations. Unsupported operations keep the base implementation,
which raises ``FeatureNotSupported``; the contract test kit checks that the
declaration and the implementation agree.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import ClassVar

from canonical import (
    Availability,
    CanonicalCatalog,
    CanonicalOrder,
    ChannelStatus,
    DriverPosition,
    InboundEvent,
    ItemUpdate,
    OrderRef,
    OrderStatus,
    PauseRequest,
    PublishResult,
    ServiceType,
    StatusUpdate,
)

from .context import ChannelTransport, ConnectionInfo
from .credentials import ChannelCredentials
from .errors import FeatureNotSupported
from .features import Features
from .limits import Deadline, RateLimit
from .statuses import StatusMap


@dataclass(frozen=True)
class Acknowledgement:
    """How the channel wants a webhook answered once we hold it: status, body and content type, as documented.

    Sent for a webhook we stored and for one we take again (a redelivery of an event that failed), and, when
    ``same_for_duplicates``, for a redelivery we already hold: a channel that stops retrying on its documented
    answer must get that answer for every copy. Rejections (401, 404, 413, 415...) keep the platform's JSON
    reasons. A module that declares none gets the platform's JSON answer (202 ``{"event_id", "status"}``,
    a duplicate 200).
    """

    status: int = 200
    body: bytes = b""
    content_type: str | None = None
    """None: no Content-Type header (an empty body has no type); required when there is a body."""
    same_for_duplicates: bool = True
    """False: a duplicate gets the platform's JSON 200 ``duplicate`` answer instead (still a 2xx)."""

    def __post_init__(self) -> None:
        if not 200 <= self.status < 300:
            raise ValueError(f"an acknowledgement is a 2xx (the channel retries anything else), not {self.status}")
        if self.body and not self.content_type:
            raise ValueError("an acknowledgement with a body names its content type")

    def describe(self) -> str:
        body = f"{self.content_type} body of {len(self.body)} bytes" if self.body else "an empty body"
        duplicates = "the same" if self.same_for_duplicates else 'the platform\'s JSON 200 "duplicate"'
        return f"HTTP {self.status} with {body}; a redelivery of an event we hold gets {duplicates}"


class ChannelClient:
    """Outbound operations against one connection. Override what the module supports.

    Every method takes and returns canonical types and raises
    ``RetryableChannelError`` / ``PermanentChannelError`` (from the shared
    HTTP client) when the channel fails; the platform retries.
    """

    def __init__(self, module: ChannelModule, connection: ConnectionInfo, transport: ChannelTransport) -> None:
        self.module = module
        self.connection = connection
        self.transport = transport

    # get order / reservation
    def get_order(self, channel_order_id: str) -> CanonicalOrder:
        """Fetch the full order (thin webhooks, reconciliation)."""
        raise FeatureNotSupported("get_order")

    def get_announced_order(self, event: InboundEvent) -> CanonicalOrder:
        """Fetch the order a thin webhook announced (``event``, as ``parse_webhook`` made it).

        The platform calls this, not ``get_order``, for the order of a webhook it processes. Override it when
        the event says something about the order that the fetched order does not (Uber Eats: only the event
        type tells a scheduled order); the default is ``get_order(event.channel_order_id)``.
        """
        return self.get_order(event.channel_order_id)

    # get status
    def get_order_status(self, order: OrderRef) -> ChannelStatus:
        """The order's current status on the channel (heals a lost status webhook)."""
        raise FeatureNotSupported("get_order_status")

    # publish catalog
    def publish_catalog(self, catalog: CanonicalCatalog) -> PublishResult:
        """Full upload/replace of the catalog. May answer ``processing`` with a transaction id."""
        raise FeatureNotSupported("publish_catalog")

    def get_publish_result(self, transaction_id: str) -> PublishResult:
        """Poll an asynchronous publish (``PublishCatalogOptions.asynchronous``)."""
        raise FeatureNotSupported("get_publish_result")

    def update_catalog_items(self, updates: list[ItemUpdate]) -> PublishResult:
        """Partial update of some items (``CatalogMode.PARTIAL`` / ``FULL_AND_PARTIAL``)."""
        raise FeatureNotSupported("update_catalog_items")

    # post status
    def set_order_status(self, order: OrderRef, update: StatusUpdate) -> None:
        """Tell the channel the restaurant accepted, rejected, is preparing… the order."""
        raise FeatureNotSupported("set_order_status")

    # post driver location
    def update_delivery_location(self, order: OrderRef, position: DriverPosition) -> None:
        raise FeatureNotSupported("update_delivery_location")

    # post availability
    def set_opening_hours(self, availability: Availability) -> None:
        """Weekly hours and calendar exceptions, as one document."""
        raise FeatureNotSupported("set_opening_hours")

    def pause(self, pause: PauseRequest) -> None:
        raise FeatureNotSupported("pause")

    def resume(self, service_type: ServiceType | None = None) -> None:
        raise FeatureNotSupported("resume")


class SandboxControls:
    """Playing the channel's side in its sandbox, for validation runs (optional per module).

    A channel's restaurant API has no "place an order" call, so each sandbox
    offers its own way (a control API, a test-order endpoint…). A module that
    has one sets ``ChannelModule.sandbox_controls_class``; without it, the
    checks that need a test order are skipped with that reason.
    """

    def __init__(self, module: ChannelModule, connection: ConnectionInfo, transport: ChannelTransport) -> None:
        self.module = module
        self.connection = connection
        self.transport = transport

    def create_test_order(self, service_type: ServiceType) -> str:
        """Place a test order (or reservation) as a customer would; return the channel's order id."""
        raise FeatureNotSupported("create_test_order")

    def change_status_on_channel(self, channel_order_id: str, status: OrderStatus, service_type: ServiceType) -> None:
        """Move the order on the channel's side, so the channel sends a status webhook."""
        raise FeatureNotSupported("change_status_on_channel")


class ChannelModule:
    """Base class of every channel module. See the module docstring for the contract."""

    slug: ClassVar[str]
    name: ClassVar[str]
    documentation: ClassVar[tuple[str, ...]] = ()
    """The channel's developer documentation pages the module was written from."""
    features: ClassVar[Features]
    credentials: ClassVar[type[ChannelCredentials]]
    production_credentials: ClassVar[type[ChannelCredentials] | None] = None
    order_statuses: ClassVar[StatusMap]
    reservation_statuses: ClassVar[StatusMap | None] = None
    rate_limits: ClassVar[tuple[RateLimit, ...]] = ()
    deadlines: ClassVar[tuple[Deadline, ...]] = ()
    default_base_urls: ClassVar[Mapping[str, str]] = {}
    """Base URL per environment ("sandbox", "production") when the Channel row does not override it."""
    webhook_tolerance: ClassVar[timedelta] = timedelta(minutes=5)
    """How old a signed webhook timestamp may be before it is treated as a replay."""
    webhook_signs_body: ClassVar[bool] = True
    """False when the channel authenticates webhooks with a shared token instead of a signature
    (Glovo): a tampered body then cannot be detected, and the contract kit does not expect it to be."""
    client_class: ClassVar[type[ChannelClient]] = ChannelClient
    sandbox_controls_class: ClassVar[type[SandboxControls] | None] = None
    """How to place test orders in the channel's sandbox (validation runs); None: the sandbox has no way."""
    webhook_content_types: ClassVar[tuple[str, ...]] = ("application/json",)
    """Media types the channel's webhooks use; anything else is answered 415 before it is stored."""
    ignored_fields: ClassVar[Mapping[str, str]] = {}
    """Fields of the channel's payloads (webhook bodies, GET responses) the module deliberately does not read,
    each with the reason: ``{"store.integrator_brand_id": "we address the store by its id"}``. Paths start at
    the payload's root, ``[]`` marks a list's items, ``*`` is any one segment and ``**`` any depth; a path
    covers the fields under it. Payloads are decoded through ``payloads.read_json`` / ``payloads.tracked``,
    so the contract kit knows what was read and fails on any corpus field neither read nor listed here."""
    known_gaps: ClassVar[Mapping[str, str]] = {}
    """Fields the module drops today although the channel means something by them (a defect, not a choice):
    path → the defect. The kit lets them pass as known and the coverage document shows them; the kit fails
    once a listed field is read everywhere, so the fix removes it from here."""
    acknowledgement: ClassVar[Acknowledgement | None] = None
    """The answer the channel documents for a webhook we took (see ``Acknowledgement``); None: the platform's JSON."""
    publish_result_by_webhook: ClassVar[bool] = False
    """True when the channel tells how a catalog publish went by webhook (a ``PUBLISH_RESULT`` event whose
    ``transaction_id`` is the one the client answered ``processing`` with), not by ``get_publish_result``: the
    publish job waits for that event, up to ``publish_result_timeout``, then fails saying nothing came."""
    publish_result_timeout: ClassVar[timedelta] = timedelta(minutes=30)

    # --- credentials -------------------------------------------------------------

    @classmethod
    def credentials_schema(cls, environment: str) -> type[ChannelCredentials]:
        if environment == "production" and cls.production_credentials is not None:
            return cls.production_credentials
        return cls.credentials

    # --- statuses ------------------------------------------------------------------

    def status_map(self, service_type: ServiceType | None) -> StatusMap:
        if service_type == ServiceType.RESERVATION and self.reservation_statuses is not None:
            return self.reservation_statuses
        return self.order_statuses

    def to_canonical_status(self, code: str, service_type: ServiceType | None = None) -> OrderStatus | None:
        """The canonical meaning of the channel's ``code`` for an order of ``service_type``.

        Parsers call it without a service type when the webhook does not say;
        the platform maps again with the stored order's service type.
        """
        return self.status_map(service_type).to_canonical(code, service_type)

    def to_channel_status(self, status: OrderStatus, service_type: ServiceType | None = None) -> str:
        return self.status_map(service_type).to_channel(status, service_type)

    # --- inbound -------------------------------------------------------------------

    def verify_webhook(
        self, connection: ConnectionInfo, body: bytes, headers: Mapping[str, str], now: datetime
    ) -> None:
        """Raise ``WebhookRejected`` unless the request is authentic and fresh.

        Runs inside the webhook request, before anything is stored: keep it
        cheap (no I/O). ``headers`` is case-insensitive.
        """
        raise FeatureNotSupported("verify_webhook")

    def webhook_dedup_key(self, connection: ConnectionInfo, body: bytes, headers: Mapping[str, str]) -> str:
        """A key that is equal for redeliveries of the same event (runs in the request; keep it cheap).

        The default hashes the body; override with the channel's event id where it has one.
        """
        return "sha256:" + hashlib.sha256(body).hexdigest()

    def parse_webhook(
        self, connection: ConnectionInfo, body: bytes, headers: Mapping[str, str]
    ) -> list[InboundEvent]:
        """Translate a stored, verified webhook into canonical events (runs in a worker).

        Raise ``MalformedWebhook`` when the body cannot be read; return an
        ``UNKNOWN`` event for an event type the module does not handle.
        """
        raise FeatureNotSupported("parse_webhook")

    # --- outbound ------------------------------------------------------------------

    def client(self, connection: ConnectionInfo, transport: ChannelTransport) -> ChannelClient:
        return self.client_class(self, connection, transport)

    def sandbox_controls(self, connection: ConnectionInfo, transport: ChannelTransport) -> SandboxControls | None:
        if self.sandbox_controls_class is None:
            return None
        return self.sandbox_controls_class(self, connection, transport)

    def base_url(self, connection: ConnectionInfo) -> str:
        return connection.base_url or self.default_base_urls.get(connection.environment, "")
