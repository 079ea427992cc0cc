"""Publishing the catalog, and snoozing products and options, on every connected channel.

Every catalog job carries the whole canonical catalog as it was when the
change committed; the runner diffs it against what the channel last received
(``catalog_diff``), so a snooze becomes one item update on a channel that
takes partial updates and a full upload on one that does not, from the same
job. Catalog jobs of a connection share one lane and coalesce: a newer
catalog supersedes a pending older one, since it contains it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction

from catalog import snoozing
from catalog.export import build_canonical_catalog
from catalog.models import Option, Product
from integrations.channels.features import CatalogMode, Feature, PublishCatalogOptions
from integrations.models import Connection, SyncJob
from restaurants.models import Restaurant

from ..outbox import record_job, restaurant_connections, supporting

LANE = "catalog"


def publish_catalog(restaurant: Restaurant, connections: Iterable[Connection] | None = None) -> list[SyncJob]:
    """Queue the restaurant's current catalog for its channels (all, or only ``connections``)."""
    with transaction.atomic():
        return _record(restaurant, connections, SyncJob.Kind.CATALOG, f"catalog of {restaurant}")


def snooze(item: Product | Option, until: datetime) -> list[SyncJob]:
    """Take a product or option off sale until ``until``, here and on the channels."""
    with transaction.atomic():
        snoozing.snooze(item, until)
        return _record(_restaurant_of(item), None, SyncJob.Kind.CATALOG_ITEMS, f"snooze {item} until {until:%H:%M}")


def unsnooze(item: Product | Option) -> list[SyncJob]:
    """Put a snoozed product or option back on sale now, here and on the channels."""
    with transaction.atomic():
        snoozing.unsnooze(item)
        return _record(_restaurant_of(item), None, SyncJob.Kind.CATALOG_ITEMS, f"unsnooze {item}")


def _record(restaurant: Restaurant, connections: Iterable[Connection] | None, kind: str, target: str) -> list[SyncJob]:
    candidates = list(connections) if connections is not None else restaurant_connections(restaurant.pk)
    targets = supporting(candidates, Feature.PUBLISH_CATALOG)
    if not targets:
        return []
    payload = build_canonical_catalog(restaurant).model_dump(mode="json")
    return [
        record_job(
            connection,
            kind if kind == SyncJob.Kind.CATALOG or _patches_availability(module) else SyncJob.Kind.CATALOG,
            payload,
            target=target,
            ordering_key=LANE,
            coalesce_key=LANE,
        )
        for connection, module in targets
    ]


def _patches_availability(module) -> bool:
    options = module.features.options(Feature.PUBLISH_CATALOG)
    assert isinstance(options, PublishCatalogOptions)
    return options.mode != CatalogMode.FULL and "available" in options.partial_fields


def _restaurant_of(item: Product | Option) -> Restaurant:
    if isinstance(item, Product):
        return Restaurant.objects.get(pk=item.restaurant_id)
    return Restaurant.objects.get(option_categories__pk=item.category_id)
