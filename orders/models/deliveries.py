"""Getting the order to the customer: the courier and where they are."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from canonical import CourierStage


class Delivery(models.Model):
    """A courier trip for an order; a reassigned courier is a new delivery."""

    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="deliveries")
    driver_name = models.CharField(max_length=200, blank=True)
    driver_phone = models.CharField(max_length=40, blank=True)
    phone_code = models.CharField(max_length=40, blank=True, help_text=_("Code to reach the courier via the channel"))
    vehicle = models.CharField(max_length=120, blank=True)
    stage = models.CharField(
        max_length=24, choices=CourierStage.choices, blank=True, help_text=_("Where the courier is")
    )
    position_lat = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    position_lng = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    position_at = models.DateTimeField(null=True, blank=True, help_text=_("When the courier was last seen there"))
    last_update_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When the channel last told of the courier")
    )
    pickup_eta = models.DateTimeField(null=True, blank=True)
    dropoff_eta = models.DateTimeField(null=True, blank=True)
    picked_up_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    tracking_url = models.URLField(max_length=500, blank=True)
    picture_url = models.URLField(
        max_length=500, blank=True, help_text=_("The courier's picture, as the channel sent it")
    )
    courier_status = models.CharField(max_length=64, blank=True, help_text=_("The channel's own courier status"))
    by_restaurant = models.BooleanField(
        default=False, help_text=_("The restaurant's own courier (only then can we push the location)")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name_plural = _("deliveries")

    def __str__(self) -> str:
        return f"Delivery of {self.order_id} by {self.driver_name or 'unknown driver'}"


class DriverLocation(models.Model):
    """Where the courier was at a moment; append-only, newest first."""

    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="driver_locations")
    lat = models.DecimalField(max_digits=9, decimal_places=6)
    lng = models.DecimalField(max_digits=9, decimal_places=6)
    recorded_at = models.DateTimeField()
    accuracy_m = models.PositiveIntegerField(null=True, blank=True, help_text=_("Metres"))

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["order", "-recorded_at"], name="driverloc_order_recorded")]

    def __str__(self) -> str:
        return f"{self.lat},{self.lng} at {self.recorded_at:%H:%M:%S}"


class CourierReport(models.Model):
    """One courier update the channel sent, applied to its delivery or not (older than what we had); append-only."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="reports")
    stage = models.CharField(max_length=24, choices=CourierStage.choices)
    channel_stage = models.CharField(max_length=64, blank=True, help_text=_("The channel's own code"))
    name = models.CharField(max_length=200, blank=True)
    lat = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    pickup_eta = models.DateTimeField(null=True, blank=True)
    dropoff_eta = models.DateTimeField(null=True, blank=True)
    applied = models.BooleanField(default=True, help_text=_("No: older than what the delivery already knew"))
    occurred_at = models.DateTimeField(help_text=_("When it happened, according to the channel"))
    recorded_at = models.DateTimeField(auto_now_add=True)
    correlation_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} at {self.occurred_at:%H:%M:%S}"
