"""The restaurant itself, who works for it and which services it offers."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from canonical import ServiceType

CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")


class Restaurant(models.Model):
    """A selling point: what channels know as a store, venue or location."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    timezone = models.CharField(max_length=64, default="Europe/Madrid", help_text=_("IANA name, e.g. Europe/Madrid"))
    currency = models.CharField(max_length=3, default="EUR", help_text=_("ISO 4217 code"))
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

    def clean(self) -> None:
        """Reject a timezone or currency a channel would not understand, before it reaches one."""
        errors: dict[str, str] = {}
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            errors["timezone"] = f"{self.timezone!r} is not an IANA timezone name (e.g. Europe/Madrid)."
        if not CURRENCY_CODE.match(self.currency or ""):
            errors["currency"] = "Use a three-letter upper-case ISO 4217 code, e.g. EUR."
        if errors:
            raise ValidationError(errors)

    @property
    def tzinfo(self) -> ZoneInfo:
        """The restaurant's timezone: opening hours are written in its local wall-clock time."""
        return ZoneInfo(self.timezone)

    def offered_service_types(self) -> list[str]:
        """Service types the restaurant offers (switched on or not), in ServiceType order.

        Uses the prefetched ``service_availabilities`` when present, so a list page costs no extra query.
        """
        offered = {availability.service_type for availability in self.service_availabilities.all()}
        return [value for value in ServiceType.values if value in offered]


class RestaurantMember(models.Model):
    """A user who works for a restaurant and may see its pages."""

    class Role(models.TextChoices):
        MANAGER = "manager", _("Manager")
        STAFF = "staff", _("Staff")

    restaurant = models.ForeignKey(Restaurant, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MANAGER)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["restaurant", "user"], name="unique_restaurant_member")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.restaurant}"


class ServiceAvailability(models.Model):
    """One service the restaurant offers, and whether it is switched on.

    A missing row means "not offered at all" (channels should not even list it);
    ``active=False`` means "offered, but switched off for now" without losing its schedule.
    """

    restaurant = models.ForeignKey(Restaurant, on_delete=models.CASCADE, related_name="service_availabilities")
    service_type = models.CharField(max_length=20, choices=ServiceType.choices)
    active = models.BooleanField(default=True, help_text=_("Switched on: orders of this type are accepted"))

    class Meta:
        verbose_name_plural = _("service availabilities")
        ordering = ["restaurant", "service_type"]
        constraints = [
            models.UniqueConstraint(fields=["restaurant", "service_type"], name="unique_restaurant_service_type"),
        ]

    def __str__(self) -> str:
        state = "on" if self.active else "off"
        return f"{self.get_service_type_display()} ({state})"
