"""Menus and their sections: how the restaurant groups what it sells."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from canonical import MenuKind

from .base import money_field, position_field


class Menu(models.Model):
    """A menu published to channels: the regular carta or a fixed-price set menu."""

    Kind = MenuKind

    restaurant = models.ForeignKey("restaurants.Restaurant", on_delete=models.CASCADE, related_name="menus")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.REGULAR)
    set_price = money_field(
        "set price", null=True, blank=True, help_text=_("Fixed price of a set menu; empty for a regular menu")
    )
    active = models.BooleanField(default=True)
    position = position_field()

    class Meta:
        ordering = ["restaurant", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["restaurant", "name"], name="catalog_menu_unique_name"),
            models.CheckConstraint(
                condition=Q(kind="regular", set_price__isnull=True) | Q(kind="set_menu", set_price__isnull=False),
                name="catalog_menu_set_price_iff_set_menu",
                violation_error_message="A set menu needs a set price; a regular menu has none.",
            ),
            models.CheckConstraint(
                condition=Q(set_price__isnull=True) | Q(set_price__gte=0),
                name="catalog_menu_set_price_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def currency(self) -> str:
        """The set price is in the restaurant's currency (ISO 4217)."""
        return self.restaurant.currency


class Section(models.Model):
    """A heading inside a menu (Entrantes, Postres…) listing products in order."""

    menu = models.ForeignKey(Menu, on_delete=models.CASCADE, related_name="sections")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    position = position_field()
    products = models.ManyToManyField("catalog.Product", through="SectionItem", related_name="sections", blank=True)

    class Meta:
        ordering = ["menu", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["menu", "name"], name="catalog_section_unique_name")]

    def __str__(self) -> str:
        return f"{self.menu} › {self.name}"


class SectionItem(models.Model):
    """A product placed in a section; the same product may sit in many sections and menus."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="section_items")
    position = position_field()

    class Meta:
        ordering = ["section", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["section", "product"], name="catalog_sectionitem_unique_product")
        ]

    def __str__(self) -> str:
        return f"{self.section} › {self.product}"
