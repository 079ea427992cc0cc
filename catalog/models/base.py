"""Shared building blocks for catalog models: money fields and availability."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ZERO = Decimal("0.00")
HUNDRED = Decimal("100.00")


def money_field(verbose_name: str, **kwargs) -> models.DecimalField:
    """A price in the restaurant's currency: Decimal with cents, never float, never negative.

    Channels disagree on money (cents, floats, {fractional, currency}); the canonical side is
    always Decimal + the restaurant's ISO 4217 code, so each module converts at its edge.
    """
    return models.DecimalField(
        verbose_name, max_digits=10, decimal_places=2, validators=[MinValueValidator(ZERO)], **kwargs
    )


def vat_rate_field() -> models.DecimalField:
    """A VAT rate in percent (10.00 means 10 %); order lines carry it per product/option."""
    return models.DecimalField(
        "VAT rate (%)",
        max_digits=5,
        decimal_places=2,
        default=Decimal("10.00"),
        validators=[MinValueValidator(ZERO), MaxValueValidator(HUNDRED)],
    )


def sku_field() -> models.CharField:
    """The restaurant's stable reference (SKU/PLU): what channels echo back in order lines."""
    return models.CharField(
        "SKU", max_length=64, help_text=_("Stable reference (SKU/PLU), unique in the restaurant's catalog")
    )


def position_field() -> models.PositiveIntegerField:
    """Display order inside the parent; channels show items in this order."""
    return models.PositiveIntegerField(default=0)


def require_aware(at: datetime, name: str = "at") -> datetime:
    """Refuse naive datetimes: a snooze is an instant, and a naive time has no instant."""
    if timezone.is_naive(at):
        raise ValueError(f"{name} must be a timezone-aware datetime")
    return at


def is_open_for_sale(available: bool, snoozed_until: datetime | None, at: datetime | None) -> bool:
    """Available means: the durable flag is on and any temporary snooze has ended by `at`."""
    at = timezone.now() if at is None else require_aware(at)
    if not available:
        return False
    return snoozed_until is None or snoozed_until <= at
