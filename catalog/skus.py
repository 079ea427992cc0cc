"""One SKU namespace per restaurant across products, variants and options.

Channels (Deliveroo PLUs, Uber Eats external ids…) echo our reference back in
order lines without saying whether it names a product, a variant or an option,
so a reference must mean one thing in the whole restaurant. The database can
only enforce uniqueness per table; this check spans the three tables and runs
in `full_clean()` (admin forms, services that validate).
"""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models


def sku_owners(restaurant_id: int, sku: str, exclude: models.Model | None = None) -> list[models.Model]:
    """Every product, variant or option of the restaurant using `sku`, except `exclude`."""
    found: list[models.Model] = []
    lookups = {
        "Product": {"restaurant_id": restaurant_id},
        "Variant": {"product__restaurant_id": restaurant_id},
        "Option": {"category__restaurant_id": restaurant_id},
    }
    for model_name, scope in lookups.items():
        model = apps.get_model("catalog", model_name)
        qs = model.objects.filter(sku=sku, **scope)
        if exclude is not None and isinstance(exclude, model) and exclude.pk:
            qs = qs.exclude(pk=exclude.pk)
        found.extend(qs)
    return found


def check_sku_free(restaurant_id: int, sku: str, exclude: models.Model | None = None) -> None:
    """Raise a field error on `sku` when another catalog entry of the restaurant already uses it."""
    owners = sku_owners(restaurant_id, sku, exclude=exclude)
    if owners:
        owner = owners[0]
        raise ValidationError(
            {"sku": f"SKU {sku!r} is already used by {owner._meta.verbose_name} {owner}."}, code="duplicate_sku"
        )
