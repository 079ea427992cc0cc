"""The restaurant's sellable items (products and options) and whether each is on sale now.

Marking one out of stock is a snooze (``integrations.outbound.services.snooze``): it ends by itself
at the time the manager gives, and the same catalog job reaches every channel; the cards show
each channel's last catalog job, so the manager sees the change arrive.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from catalog.models import Option, Product
from restaurants.models import Restaurant

from .formatting import RestaurantLocale


@dataclass(frozen=True)
class ItemRow:
    kind: str  # "product" or "option"
    sku: str
    name: str
    group: str  # an option's category, "" for a product
    on_sale: bool
    switched_off: bool  # the durable switch (admin / POS) is off: a snooze would change nothing
    back_at: str  # a snooze's end, in the restaurant's words; "" when not snoozed


def menu_items(restaurant: Restaurant, locale: RestaurantLocale, now: datetime) -> list[ItemRow]:
    rows = [
        _row("product", product, "", locale, now)
        for product in Product.objects.filter(restaurant=restaurant).order_by("position", "id")
    ]
    options = Option.objects.filter(category__restaurant=restaurant).select_related("category")
    rows += [
        _row("option", option, option.category.name, locale, now)
        for option in options.order_by("category__position", "category_id", "position", "id")
    ]
    return rows


def _row(kind: str, item: Product | Option, group: str, locale: RestaurantLocale, now: datetime) -> ItemRow:
    snoozed = item.snoozed_until is not None and item.snoozed_until > now
    return ItemRow(
        kind=kind, sku=item.sku, name=item.name, group=group,
        on_sale=item.available and not snoozed, switched_off=not item.available,
        back_at=locale.when(item.snoozed_until, now) if snoozed else "",
    )


def until_from_clock(clock: str, locale: RestaurantLocale, now: datetime) -> datetime:
    """The next moment the restaurant's clock shows ``clock`` ("HH:MM"): today if still ahead, else tomorrow.

    ``ValueError`` for anything that is not a time of day.
    """
    wanted = time.fromisoformat(clock.strip())
    local_now = locale.local(now)
    moment = datetime.combine(local_now.date(), wanted.replace(second=0, microsecond=0), tzinfo=locale.timezone)
    if moment <= local_now:
        moment = datetime.combine(local_now.date() + timedelta(days=1), moment.timetz())
    return moment
