"""Snoozing: take a product or option off sale for a while (sold out tonight).

`available` is the durable switch staff flip; a snooze is temporary and ends by
itself, so nobody has to remember to turn the item back on. These are the only
entry points that change a snooze, so that publishing the change to channels
(outbound sync jobs) can later be added here in one place.
"""

from __future__ import annotations

from datetime import datetime

from catalog.models import Option, Product
from catalog.models.base import require_aware

Snoozable = Product | Option


def snooze(item: Snoozable, until: datetime) -> Snoozable:
    """Make `item` unavailable until the aware instant `until`; a later snooze replaces an earlier one."""
    item.snoozed_until = require_aware(until, "until")
    item.save(update_fields=["snoozed_until"])
    return item


def unsnooze(item: Snoozable) -> Snoozable:
    """End a snooze now, whether or not it had expired; the `available` flag is left as is."""
    if item.snoozed_until is not None:
        item.snoozed_until = None
        item.save(update_fields=["snoozed_until"])
    return item
