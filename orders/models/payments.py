"""How an order is (or will be) paid."""

from __future__ import annotations

from django.db import models

from canonical import PaymentMethod


class Payment(models.Model):
    """One payment of an order; an order may be split (e.g. voucher + card)."""

    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="payments")
    method = models.CharField(max_length=20, choices=PaymentMethod.choices)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    prepaid = models.BooleanField(default=False, help_text="Already paid on the channel: nothing to collect")

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.amount}"
