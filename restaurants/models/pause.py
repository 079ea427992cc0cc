"""Pauses: staff stopping a restaurant (or one service) from selling right now."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from restaurants.models.restaurant import Restaurant, ServiceType


class PauseQuerySet(models.QuerySet["Pause"]):
    def active(self, at: datetime | None = None) -> PauseQuerySet:
        """Pauses in force at ``at`` (default now): started, not resumed, not yet expired."""
        at = at or timezone.now()
        return self.filter(
            models.Q(created_at__lte=at),
            models.Q(resumed_at__isnull=True) | models.Q(resumed_at__gt=at),
            models.Q(until__isnull=True) | models.Q(until__gt=at),
        )


class Pause(models.Model):
    """A temporary stop, kept as history: rows are resumed, never deleted.

    Active while not resumed and ``until`` is empty (until resumed) or still in the future.
    Channels call this "busy", "paused_until" or a temporary closing.
    """

    restaurant = models.ForeignKey(Restaurant, on_delete=models.CASCADE, related_name="pauses")
    service_type = models.CharField(  # noqa: DJ001 — NULL means all services, as on ScheduleRange
        max_length=20,
        choices=ServiceType.choices,
        null=True,
        blank=True,
        help_text=_("Empty pauses every service type."),
    )
    until = models.DateTimeField(null=True, blank=True, help_text=_("Empty means until someone resumes it."))
    reason = models.CharField(max_length=200, blank=True)
    # A default rather than auto_now_add so history can be imported and tests can place it in time.
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resumed_at = models.DateTimeField(null=True, blank=True)
    resumed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = PauseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["restaurant", "resumed_at"], name="pause_restaurant_resumed")]

    def __str__(self) -> str:
        scope = self.get_service_type_display() if self.service_type else "all services"
        until = f"until {self.until:%Y-%m-%d %H:%M}" if self.until else "until resumed"
        return f"Pause {scope} {until}"

    def is_active(self, at: datetime | None = None) -> bool:
        """Same rule as ``PauseQuerySet.active``, for rows already in memory."""
        at = at or timezone.now()
        return (
            self.created_at <= at
            and (self.resumed_at is None or self.resumed_at > at)
            and (self.until is None or self.until > at)
        )

    def applies_to(self, service_type: str) -> bool:
        """True when this pause stops ``service_type`` (its own or all services)."""
        return self.service_type is None or self.service_type == service_type
