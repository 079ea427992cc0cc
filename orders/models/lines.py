"""What was ordered: a tree of lines, products with their options as children."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..totals import line_gross, vat_in_gross


class OrderLine(models.Model):
    """A product line, or an option line when it has a parent.

    Prices are gross (VAT included). An option line carries its own price,
    quantity (the total in the order, not per parent unit) and VAT rate, so
    every line's money stands alone; see ``orders.totals``.
    """

    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="lines")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="options", help_text=_("Empty: a product")
    )
    sku = models.CharField(max_length=120, blank=True, help_text=_("The product's or option's external id"))
    name = models.CharField(max_length=200)
    quantity = models.PositiveIntegerField(default=1)
    unit_price = models.DecimalField(
        max_digits=12, decimal_places=3, help_text=_("The line's own price per unit, its options apart")
    )
    vat_rate = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True, default=Decimal("10.00"),
        help_text=_("Percent; empty: the channel did not say"),
    )
    notes = models.TextField(blank=True, help_text=_("The customer's remark on this line"))
    allergy_notes = models.TextField(blank=True, help_text=_("The customer's allergy note on this line"))
    removed = models.JSONField(
        default=list, blank=True, help_text=_('Ingredients left out: [{"name": ..., "sku": ..., "quantity": ...}]')
    )
    group = models.CharField(max_length=200, blank=True, help_text=_("For an option: the choice it answers"))
    channel_line_id = models.CharField(max_length=120, blank=True, help_text=_("The channel's id of this line"))
    for_person = models.CharField(
        max_length=120, blank=True, help_text=_("In a group order: the participant this line is for")
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "position", "id"]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.name}"

    @property
    def line_total(self) -> Decimal:
        """Gross amount of this line alone (its options are lines of their own)."""
        return line_gross(self.unit_price, self.quantity)

    @property
    def line_vat(self) -> Decimal | None:
        """VAT contained in ``line_total``, to the cent; None when the rate is unknown."""
        return None if self.vat_rate is None else vat_in_gross(self.line_total, self.vat_rate)

    @property
    def removed_names(self) -> str:
        """"no pickles, no croutons": the removals as staff read them."""
        return ", ".join(f"no {item.get('name', '')}" for item in self.removed or ())
