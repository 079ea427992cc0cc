"""Canonical types: the platform's own vocabulary, shared by every channel module.

Modules translate between a channel's payloads and these types; the platform
persists them. They are pydantic v2 models: typed, validated, frozen. Money
is ``Decimal`` with an ISO 4217 currency, never a float; instants are aware
and normalised to UTC.
"""

from .availability import Availability, CalendarException, PauseRequest, WeeklyRange
from .catalog import (
    CanonicalCatalog,
    CatalogMenu,
    CatalogOption,
    CatalogOptionCategory,
    CatalogProduct,
    CatalogSection,
    CatalogVariant,
    ItemKind,
    ItemUpdate,
    PublishResult,
    PublishState,
)
from .enums import (
    FINAL_STATUSES,
    CancelledBy,
    CourierStage,
    MenuKind,
    OrderStatus,
    PaymentMethod,
    ServiceType,
    StatusSource,
    Vocabulary,
    is_final,
)
from .events import ChannelStatus, CourierPosition, CourierUpdate, InboundEvent, InboundEventKind
from .money import Money, exponent, from_minor_units, minor_units
from .orders import (
    Address,
    Cancellation,
    CanonicalOrder,
    Customer,
    DeliveryInfo,
    DriverPosition,
    Estimates,
    Fee,
    OrderAmounts,
    OrderLine,
    OrderRef,
    Payment,
    RemovedIngredient,
    StatusUpdate,
)

__all__ = [
    "FINAL_STATUSES",
    "Address",
    "Availability",
    "CalendarException",
    "Cancellation",
    "CancelledBy",
    "CanonicalCatalog",
    "CanonicalOrder",
    "CatalogMenu",
    "CatalogOption",
    "CatalogOptionCategory",
    "CatalogProduct",
    "CatalogSection",
    "CatalogVariant",
    "ChannelStatus",
    "CourierPosition",
    "CourierStage",
    "CourierUpdate",
    "Customer",
    "DeliveryInfo",
    "DriverPosition",
    "Estimates",
    "Fee",
    "InboundEvent",
    "InboundEventKind",
    "ItemKind",
    "ItemUpdate",
    "MenuKind",
    "Money",
    "OrderAmounts",
    "OrderLine",
    "OrderRef",
    "OrderStatus",
    "PauseRequest",
    "Payment",
    "PaymentMethod",
    "PublishResult",
    "PublishState",
    "RemovedIngredient",
    "ServiceType",
    "StatusSource",
    "StatusUpdate",
    "Vocabulary",
    "WeeklyRange",
    "exponent",
    "from_minor_units",
    "is_final",
    "minor_units",
]
