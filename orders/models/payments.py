"""How an order is (or will be) paid."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from canonical import PaymentMethod


class Payment(models.Model):
    """One payment of an order; an order may be split (e.g. voucher + card)."""

    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="payments")
    method = models.CharField(max_length=20, choices=PaymentMethod.choices)
    amount = models.DecimalField(max_digits=12, decimal_places=3)
    prepaid = models.BooleanField(
        null=True, default=False, help_text=_("Already paid on the channel: nothing to collect. Empty: not said")
    )
    channel_method = models.CharField(max_length=64, blank=True, help_text=_("The channel's own word ('CASH')"))
    cash_to_collect = models.DecimalField(
        max_digits=12, decimal_places=3, null=True, blank=True, help_text=_("Cash the courier collects at handover")
    )
    cash_tendered = models.DecimalField(
        max_digits=12, decimal_places=3, null=True, blank=True, help_text=_("What the customer pays with (for change)")
    )

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.amount}"
