"""Restaurants: the selling point and when it sells."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ServiceType(models.TextChoices):
    """How a customer is served; an order has exactly one."""

    DELIVERY = "delivery", "Delivery"
    COLLECTION = "collection", "Collection"
    IN_SITU = "insitu", "In situ (dine-in)"
    RESERVATION = "reservation", "Reservation"


class Restaurant(models.Model):
    """A selling point: what channels know as a store, venue or location."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    timezone = models.CharField(max_length=64, default="Europe/Madrid", help_text="IANA name, e.g. Europe/Madrid")
    currency = models.CharField(max_length=3, default="EUR", help_text="ISO 4217 code")
    service_types = models.JSONField(
        default=list, blank=True, help_text="Service types it offers: delivery, collection, insitu, reservation"
    )
    address = models.CharField(max_length=300, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="RestaurantMember", related_name="restaurants", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RestaurantMember(models.Model):
    """A user who works for a restaurant and may see its pages."""

    class Role(models.TextChoices):
        MANAGER = "manager", "Manager"
        STAFF = "staff", "Staff"

    restaurant = models.ForeignKey(Restaurant, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MANAGER)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["restaurant", "user"], name="unique_restaurant_member")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.restaurant}"
