"""Every status move an order was asked to make, applied or not."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from canonical import OrderStatus, StatusSource


class StatusChange(models.Model):
    """One entry of an order's status history; written once, never edited.

    Stale and duplicate moves are kept (``applied=False`` with the reason) so
    support can see what a channel sent and why it changed nothing.
    """

    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=OrderStatus.choices)
    to_status = models.CharField(max_length=20, choices=OrderStatus.choices)
    channel_status = models.CharField(max_length=64, blank=True, help_text=_("The channel's raw code, if it sent one"))
    source = models.CharField(max_length=20, choices=StatusSource.choices)
    applied = models.BooleanField()
    reason = models.CharField(max_length=300, help_text=_("Why it was applied, or why not"))
    occurred_at = models.DateTimeField(help_text=_("When it happened, according to the source"))
    recorded_at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)
    correlation_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["recorded_at", "id"]
        indexes = [models.Index(fields=["order", "recorded_at"], name="statuschange_order_recorded")]

    def __str__(self) -> str:
        verb = "→" if self.applied else "↛"
        return f"{self.from_status} {verb} {self.to_status} ({self.source})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError("StatusChange is history: it is written once and never edited")
        super().save(*args, **kwargs)
