"""Products and their variants: the things a customer puts in a basket."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from catalog.skus import check_sku_free

from .base import is_open_for_sale, money_field, position_field, sku_field, vat_rate_field


class Product(models.Model):
    """Something the restaurant sells, with its own price, VAT and availability."""

    restaurant = models.ForeignKey("restaurants.Restaurant", on_delete=models.CASCADE, related_name="products")
    sku = sku_field()
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    price = money_field("price")
    vat_rate = vat_rate_field()
    available = models.BooleanField(default=True, help_text=_("Durable switch: off until staff turn it on"))
    snoozed_until = models.DateTimeField(
        null=True, blank=True, help_text=_("Temporarily unavailable until this instant (e.g. sold out tonight)")
    )
    image_url = models.URLField(max_length=500, blank=True)
    position = position_field()
    option_categories = models.ManyToManyField(
        "catalog.OptionCategory", through="ProductOptionCategory", related_name="products", blank=True
    )

    class Meta:
        ordering = ["restaurant", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["restaurant", "sku"], name="catalog_product_unique_sku"),
            models.CheckConstraint(condition=Q(price__gte=0), name="catalog_product_price_not_negative"),
            models.CheckConstraint(
                condition=Q(vat_rate__gte=0, vat_rate__lte=100), name="catalog_product_vat_rate_percent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.sku})"

    @property
    def currency(self) -> str:
        """Prices are in the restaurant's currency (ISO 4217)."""
        return self.restaurant.currency

    def is_available(self, at: datetime | None = None) -> bool:
        """Can a customer order it at `at` (default now)? Off, or snoozed past `at`, means no."""
        return is_open_for_sale(self.available, self.snoozed_until, at)

    def clean(self) -> None:
        super().clean()
        if self.restaurant_id and self.sku:
            check_sku_free(self.restaurant_id, self.sku, exclude=self)


class Variant(models.Model):
    """A size or version of a product (Mediana, Familiar…) with its own full price."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants")
    sku = sku_field()
    name = models.CharField(max_length=200, help_text=_('e.g. "Familiar"'))
    price = money_field("price", help_text=_("The full price of this variant, not a surcharge"))
    available = models.BooleanField(default=True)
    position = position_field()

    class Meta:
        ordering = ["product", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["product", "sku"], name="catalog_variant_unique_sku"),
            models.CheckConstraint(condition=Q(price__gte=0), name="catalog_variant_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.product.name} – {self.name} ({self.sku})"

    @property
    def currency(self) -> str:
        """Prices are in the restaurant's currency (ISO 4217)."""
        return self.product.restaurant.currency

    @property
    def vat_rate(self) -> Decimal:
        """A variant is the same dish in another size, so it is taxed like its product."""
        return self.product.vat_rate

    def is_available(self, at: datetime | None = None) -> bool:
        """Orderable only if its own flag is on and its product is orderable at `at`."""
        return self.available and self.product.is_available(at)

    def clean(self) -> None:
        super().clean()
        if self.product_id and self.sku:
            check_sku_free(self.product.restaurant_id, self.sku, exclude=self)
