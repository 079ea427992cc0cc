"""Words for people in the coverage document: feature titles, option names and values, in English or Spanish.

The module's own texts (reasons, notes, limits' consequences) stay as the module wrote them, in English.
"""

from __future__ import annotations

from dataclasses import fields
from enum import Enum

from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from canonical import OrderStatus, ServiceType

from .channels.features import CatalogMode, Feature, FeatureOptions

FEATURE_TITLES = {
    Feature.GET_ORDER: _("Get order / reservation"),
    Feature.GET_STATUS: _("Get order / reservation status"),
    Feature.PUBLISH_CATALOG: _("Publish menus, products, variants and options"),
    Feature.POST_STATUS: _("Post order / reservation status"),
    Feature.POST_DELIVERY_LOCATION: _("Post driver location"),
    Feature.POST_AVAILABILITY: _("Post opening hours, exceptions and pauses"),
    Feature.WEBHOOK_NEW_ORDER: _("Webhook: new order / reservation"),
    Feature.WEBHOOK_STATUS_CHANGED: _("Webhook: order / reservation status changed"),
}

# (options class name, field name) → what the option means; a field not listed falls back to its name.
OPTION_NAMES = {
    "service_types": _("services"),
    "mode": _("menu updates"),
    "asynchronous": _("processed later by the channel (we poll the result)"),
    "set_menus": _("set menus"),
    "partial_fields": _("what a partial update changes"),
    "statuses": _("statuses we send"),
    "needs_every_step": _("every step sent, even after the order moved on"),
    "reason_required_for": _("a reason is required for"),
    "channel_courier_only": _("only with the channel's courier"),
    "min_interval_seconds": _("seconds between two positions, at least"),
    "weekly_hours": _("weekly hours"),
    "exceptions": _("holidays and other exceptions"),
    "pause": _("pause"),
    "pause_needs_until": _("a pause needs an end time"),
    "per_service_type": _("one service paused alone"),
    "thin": _("the webhook carries only the order's id (we fetch the order)"),
    "reservations": _("reservations too"),
    "includes_reservations": _("reservations too"),
}
# the same name means something else on two features
OWN_COURIER_STATUSES = _("only with the restaurant's own courier")
OWN_COURIER_LOCATION = _("only for the restaurant's own couriers")

CATALOG_MODES = {
    CatalogMode.FULL: _("every publish replaces the whole menu"),
    CatalogMode.PARTIAL: _("only the changed items are sent"),
    CatalogMode.FULL_AND_PARTIAL: _(
        "the whole menu for changes of structure, only the changed items for prices and availability"
    ),
}
CATALOG_FIELDS = {"available": _("availability"), "name": _("name"), "price": _("price")}

# The canonical vocabulary's labels (canonical/enums.py, which knows no Django), marked for translation.
VOCABULARY = [
    gettext_noop("Delivery"), gettext_noop("Collection"), gettext_noop("In situ (dine-in)"),
    gettext_noop("Reservation"), gettext_noop("Received"), gettext_noop("Accepted"), gettext_noop("Rejected"),
    gettext_noop("Preparing"), gettext_noop("Ready"), gettext_noop("Picked up"), gettext_noop("Delivered"),
    gettext_noop("Cancelled"), gettext_noop("Requested"), gettext_noop("Confirmed"),
    gettext_noop("Arrived (the guests are at the restaurant, not yet seated)"), gettext_noop("Seated"),
    gettext_noop("Completed"), gettext_noop("No show"),
]
KINDS = {"order": _("orders"), "reservation": _("reservations")}
RESULTS = {"passed": _("passed"), "failed": _("failed"), "skipped": _("skipped")}
SCOPES = {"channel": _("channel"), "connection": _("connection"), "order": _("order")}
COUNTS_FROM = {"confirm_by": _("of the confirm-by time"), "scheduled_for": _("of the scheduled time")}


def word(value: object) -> str:
    """A value as a person reads it: a status or service by its label, a yes/no, a number as it is."""
    if isinstance(value, OrderStatus | ServiceType):
        return gettext(value.label)
    if isinstance(value, CatalogMode):
        return str(CATALOG_MODES[value])
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, Enum):
        return str(value.value)
    return str(value)


def describe_options(options: FeatureOptions) -> list[str]:
    """``name: value`` per option, in words (the contract's own ``describe`` prints field names)."""
    lines = []
    for item in fields(options):
        value = getattr(options, item.name)
        if item.name == "own_courier_only":
            name = OWN_COURIER_LOCATION if isinstance(value, bool) else OWN_COURIER_STATUSES
        else:
            name = OPTION_NAMES.get(item.name, item.name.replace("_", " "))
        if isinstance(value, frozenset | set | tuple | list):
            if item.name == "partial_fields":
                shown = sorted(str(CATALOG_FIELDS.get(v, v)) for v in value)
            else:
                shown = [word(v) for v in sorted(value, key=_vocabulary_order)]
            text = ", ".join(shown) or gettext("none")
        else:
            text = word(value)
        lines.append(f"{name}: {text}")
    return lines


def status_word(value: str) -> str:
    """A canonical status code as its label (a code the vocabulary does not know is shown as it is)."""
    return gettext(OrderStatus(value).label) if value in OrderStatus.values else value


def service_word(value: str) -> str:
    return gettext(ServiceType(value).label) if value in ServiceType.values else value


def _vocabulary_order(value: object) -> tuple[int, str]:
    for vocabulary in (OrderStatus, ServiceType):
        if isinstance(value, vocabulary):
            return list(vocabulary).index(value), ""
    return 0, str(value)
