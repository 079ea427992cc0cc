"""The eight passive-integration features, and how a module declares each one.

Every feature is optional: a module says ``Supported(...)`` with typed
options, or ``NotSupported("why")``. The platform reads the declaration to
decide what to call, to write the coverage document and to run validations.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from enum import StrEnum

from canonical import OrderStatus, ServiceType

ALL_SERVICE_TYPES: frozenset[ServiceType] = frozenset(ServiceType)


class Feature(StrEnum):
    GET_ORDER = "get_order"
    GET_STATUS = "get_status"
    PUBLISH_CATALOG = "publish_catalog"
    POST_STATUS = "post_status"
    POST_DELIVERY_LOCATION = "post_delivery_location"
    POST_AVAILABILITY = "post_availability"
    WEBHOOK_NEW_ORDER = "webhook_new_order"
    WEBHOOK_STATUS_CHANGED = "webhook_status_changed"

    @property
    def title(self) -> str:
        return FEATURE_TITLES[self]


FEATURE_TITLES: dict[Feature, str] = {
    Feature.GET_ORDER: "Get order / reservation",
    Feature.GET_STATUS: "Get order / reservation status",
    Feature.PUBLISH_CATALOG: "Publish menus, products, variants and options",
    Feature.POST_STATUS: "Post order / reservation status",
    Feature.POST_DELIVERY_LOCATION: "Post driver location",
    Feature.POST_AVAILABILITY: "Post opening hours, exceptions and pauses",
    Feature.WEBHOOK_NEW_ORDER: "Webhook: new order / reservation",
    Feature.WEBHOOK_STATUS_CHANGED: "Webhook: order / reservation status changed",
}


# --- typed options, one per feature -------------------------------------------


@dataclass(frozen=True)
class FeatureOptions:
    """Base for a feature's options; ``describe`` feeds the coverage document."""

    def describe(self) -> list[str]:
        lines = []
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, frozenset | set | tuple | list):
                value = ", ".join(sorted(str(v) for v in value)) or "none"
            elif isinstance(value, bool):
                value = "yes" if value else "no"
            lines.append(f"{item.name.replace('_', ' ')}: {value}")
        return lines


@dataclass(frozen=True)
class GetOrderOptions(FeatureOptions):
    service_types: frozenset[ServiceType] = ALL_SERVICE_TYPES


@dataclass(frozen=True)
class GetStatusOptions(FeatureOptions):
    service_types: frozenset[ServiceType] = ALL_SERVICE_TYPES


class CatalogMode(StrEnum):
    FULL = "full"
    """Every publish replaces the whole catalog."""
    PARTIAL = "partial"
    """Only changed items are sent (no full upload)."""
    FULL_AND_PARTIAL = "full_and_partial"
    """Full upload for structure changes, partial item updates for price/availability."""


@dataclass(frozen=True)
class PublishCatalogOptions(FeatureOptions):
    mode: CatalogMode = CatalogMode.FULL
    asynchronous: bool = False
    """The channel answers with a transaction id to poll (``get_publish_result``)."""
    set_menus: bool = False
    """Fixed-price set menus can be published."""
    partial_fields: frozenset[str] = frozenset()
    """Which fields a partial update may change, e.g. {"price", "available"}."""
    menus_carry_hours: bool = False
    """The channel's menus say when they are served and make its store's hours (Uber Eats' service_availability):
    a change of the weekly hours publishes the menu again."""


@dataclass(frozen=True)
class PostStatusOptions(FeatureOptions):
    statuses: frozenset[OrderStatus] = frozenset()
    """Canonical statuses the channel accepts from us; others are not sent."""
    needs_every_step: bool = False
    """The channel wants each step even after the order moved on (else only the latest is sent)."""
    reason_required_for: frozenset[OrderStatus] = frozenset()
    service_types: frozenset[ServiceType] = ALL_SERVICE_TYPES
    own_courier_only: frozenset[OrderStatus] = frozenset()
    """On a delivery, sent only when the restaurant's own courier delivers (Glovo: OUT_FOR_DELIVERY)."""
    channel_courier_only: frozenset[OrderStatus] = frozenset()
    """On a delivery, sent only when the channel's courier delivers (Glovo: READY_FOR_PICKUP)."""
    accepts_scheduled_twice: bool = False
    """A scheduled order is accepted when it is announced and again when the channel announces it once more for
    the kitchen (Uber Eats: "all orders that are scheduled must be accepted twice"); the platform sends the second."""


@dataclass(frozen=True)
class PostDeliveryLocationOptions(FeatureOptions):
    own_courier_only: bool = True
    """Only for orders delivered by the restaurant's own courier."""
    min_interval_seconds: int = 10


@dataclass(frozen=True)
class PostAvailabilityOptions(FeatureOptions):
    weekly_hours: bool = True
    exceptions: bool = True
    pause: bool = True
    pause_needs_until: bool = False
    """The channel needs an end time for every pause."""
    pause_takes_until: bool = True
    """False: the channel's pause has no end time (it lasts until resumed), so the platform sends the resume itself
    when a pause with an end runs out."""
    per_service_type: bool = False


@dataclass(frozen=True)
class WebhookNewOrderOptions(FeatureOptions):
    thin: bool = False
    """The webhook carries only an id: the platform fetches the order (needs get_order)."""
    reservations: bool = False


@dataclass(frozen=True)
class WebhookStatusOptions(FeatureOptions):
    includes_reservations: bool = False


OPTIONS_FOR: dict[Feature, type[FeatureOptions]] = {
    Feature.GET_ORDER: GetOrderOptions,
    Feature.GET_STATUS: GetStatusOptions,
    Feature.PUBLISH_CATALOG: PublishCatalogOptions,
    Feature.POST_STATUS: PostStatusOptions,
    Feature.POST_DELIVERY_LOCATION: PostDeliveryLocationOptions,
    Feature.POST_AVAILABILITY: PostAvailabilityOptions,
    Feature.WEBHOOK_NEW_ORDER: WebhookNewOrderOptions,
    Feature.WEBHOOK_STATUS_CHANGED: WebhookStatusOptions,
}


# --- declarations ---------------------------------------------------------------


@dataclass(frozen=True)
class Supported:
    """The module integrates this feature. ``options`` must be the feature's options type."""

    options: FeatureOptions | None = None
    notes: str = ""

    supported = True


@dataclass(frozen=True)
class NotSupported:
    """The module does not integrate this feature; ``reason`` goes to the channel verbatim."""

    reason: str

    supported = False

    def __post_init__(self) -> None:
        if not self.reason.strip():
            raise ValueError("NotSupported needs a reason: the coverage document must say why")


Declaration = Supported | NotSupported


@dataclass(frozen=True)
class Features:
    """All eight features, each declared. No defaults: a module must say something about each."""

    get_order: Declaration
    get_status: Declaration
    publish_catalog: Declaration
    post_status: Declaration
    post_delivery_location: Declaration
    post_availability: Declaration
    webhook_new_order: Declaration
    webhook_status_changed: Declaration

    def __getitem__(self, feature: Feature) -> Declaration:
        return getattr(self, feature.value)

    def items(self) -> list[tuple[Feature, Declaration]]:
        return [(feature, self[feature]) for feature in Feature]

    def supports(self, feature: Feature) -> bool:
        return isinstance(self[feature], Supported)

    def options(self, feature: Feature) -> FeatureOptions:
        """The declared options, or the feature's defaults when none were given."""
        declaration = self[feature]
        if isinstance(declaration, Supported) and declaration.options is not None:
            return declaration.options
        return OPTIONS_FOR[feature]()



__all__ = [
    "ALL_SERVICE_TYPES",
    "OPTIONS_FOR",
    "CatalogMode",
    "Declaration",
    "Feature",
    "FeatureOptions",
    "Features",
    "GetOrderOptions",
    "GetStatusOptions",
    "NotSupported",
    "PostAvailabilityOptions",
    "PostDeliveryLocationOptions",
    "PostStatusOptions",
    "PublishCatalogOptions",
    "Supported",
    "WebhookNewOrderOptions",
    "WebhookStatusOptions",
]
