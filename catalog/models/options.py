"""Option categories and options: the choices and extras a product offers."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from catalog.skus import check_sku_free

if TYPE_CHECKING:
    from restaurants.models import Restaurant

from .base import is_open_for_sale, money_field, position_field, sku_field, vat_rate_field


class OptionCategory(models.Model):
    """A group of options with selection rules ("Elige tu salsa": exactly 1).

    Shared by the restaurant's products through ProductOptionCategory, so one
    "Punto de la carne" serves every steak.
    """

    restaurant = models.ForeignKey(
        "restaurants.Restaurant", on_delete=models.CASCADE, related_name="option_categories"
    )
    ref = models.CharField(max_length=64, help_text=_("Stable reference, unique in the restaurant"))
    name = models.CharField(max_length=200)
    min_selections = models.PositiveIntegerField(default=0, help_text=_("0 makes the category optional"))
    max_selections = models.PositiveIntegerField(default=1)
    max_per_option = models.PositiveIntegerField(
        default=1, validators=[MinValueValidator(1)], help_text=_("How many times the same option may be chosen")
    )
    position = position_field()

    class Meta:
        ordering = ["restaurant", "position", "id"]
        verbose_name_plural = _("option categories")
        constraints = [
            models.UniqueConstraint(fields=["restaurant", "ref"], name="catalog_optioncategory_unique_ref"),
            models.CheckConstraint(
                condition=Q(min_selections__gte=0, min_selections__lte=F("max_selections")),
                name="catalog_optioncategory_min_le_max",
                violation_error_message="Minimum selections must be between 0 and the maximum.",
            ),
            models.CheckConstraint(
                condition=Q(max_per_option__gte=1),
                name="catalog_optioncategory_max_per_option_positive",
                violation_error_message="The same option must be selectable at least once.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.min_selections}..{self.max_selections})"

    @property
    def required(self) -> bool:
        """A category with a minimum forces the customer to choose."""
        return self.min_selections > 0


class ProductOptionCategory(models.Model):
    """Offers an option category on a product, in a given order."""

    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="option_category_links")
    category = models.ForeignKey(OptionCategory, on_delete=models.CASCADE, related_name="product_links")
    position = position_field()

    class Meta:
        ordering = ["product", "position", "id"]
        verbose_name = _("product option category")
        verbose_name_plural = _("product option categories")
        constraints = [
            models.UniqueConstraint(fields=["product", "category"], name="catalog_productoptioncategory_unique")
        ]

    def __str__(self) -> str:
        return f"{self.product.name} › {self.category.name}"

    def clean(self) -> None:
        """A product may only offer its own restaurant's option categories."""
        from django.core.exceptions import ValidationError

        super().clean()
        if (
            self.product_id
            and self.category_id
            and self.product.restaurant_id != self.category.restaurant_id
        ):
            raise ValidationError({"category": "This option category belongs to another restaurant."})


class Option(models.Model):
    """One choice inside a category; its price is an extra on top of the product."""

    category = models.ForeignKey(OptionCategory, on_delete=models.CASCADE, related_name="options")
    sku = sku_field()
    name = models.CharField(max_length=200)
    price = money_field("extra price", default=0, help_text=_("Added to the product's price; 0 for a free choice"))
    vat_rate = vat_rate_field()
    available = models.BooleanField(default=True)
    snoozed_until = models.DateTimeField(null=True, blank=True)
    position = position_field()

    class Meta:
        ordering = ["category", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["category", "sku"], name="catalog_option_unique_sku"),
            models.CheckConstraint(condition=Q(price__gte=0), name="catalog_option_price_not_negative"),
            models.CheckConstraint(
                condition=Q(vat_rate__gte=0, vat_rate__lte=100), name="catalog_option_vat_rate_percent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.sku})"

    @property
    def restaurant(self) -> Restaurant:
        """Options belong to the restaurant of their category."""
        return self.category.restaurant

    @property
    def currency(self) -> str:
        """Prices are in the restaurant's currency (ISO 4217)."""
        return self.category.restaurant.currency

    def is_available(self, at: datetime | None = None) -> bool:
        """Can a customer pick it at `at` (default now)? Off, or snoozed past `at`, means no."""
        return is_open_for_sale(self.available, self.snoozed_until, at)

    def clean(self) -> None:
        super().clean()
        if self.category_id and self.sku:
            check_sku_free(self.category.restaurant_id, self.sku, exclude=self)
