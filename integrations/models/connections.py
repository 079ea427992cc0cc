"""A configured channel, and a restaurant's connection to it."""

from __future__ import annotations

import secrets
from datetime import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..secrets import EncryptedJSONField


class Environment(models.TextChoices):
    SANDBOX = "sandbox", _("Sandbox")
    PRODUCTION = "production", _("Production")


def new_webhook_token() -> str:
    """An unguessable token: 256 bits, URL-safe. It is the webhook URL's only key."""
    return secrets.token_urlsafe(32)


class Channel(models.Model):
    """A channel as we operate it, e.g. "Sandbox Market ES", backed by one module."""

    name = models.CharField(max_length=120, unique=True)
    module = models.CharField(max_length=60, help_text=_("Slug of the channel module that speaks this channel's API"))
    sandbox_base_url = models.URLField(blank=True, help_text=_("Blank: the module's default sandbox URL"))
    production_base_url = models.URLField(blank=True, help_text=_("Blank: the module's default production URL"))
    enabled = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Connection(models.Model):
    """A restaurant on a channel in one environment, with its credentials."""

    restaurant = models.ForeignKey("restaurants.Restaurant", on_delete=models.CASCADE, related_name="connections")
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="connections")
    environment = models.CharField(max_length=20, choices=Environment.choices, default=Environment.SANDBOX)
    store_id = models.CharField(max_length=120, help_text=_("The channel's id for this restaurant"))
    credentials = EncryptedJSONField(blank=True, default=dict)
    webhook_token = models.CharField(max_length=64, unique=True, default=new_webhook_token, editable=False)
    enabled = models.BooleanField(default=True)
    auto_accept = models.BooleanField(
        default=False, help_text=_("Accept new orders at once with the default prep time")
    )
    auto_accept_prep_minutes = models.PositiveIntegerField(default=15)

    # A pause on this channel alone (the restaurant keeps selling elsewhere).
    channel_paused = models.BooleanField(default=False)
    channel_paused_until = models.DateTimeField(null=True, blank=True, help_text=_("Blank: until resumed"))
    channel_pause_reason = models.CharField(max_length=200, blank=True)

    # Health, kept up to date by the platform.
    last_webhook_at = models.DateTimeField(null=True, blank=True)
    last_call_ok_at = models.DateTimeField(null=True, blank=True)
    last_call_failed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    circuit_open_until = models.DateTimeField(null=True, blank=True)
    webhook_rejections = models.PositiveIntegerField(default=0)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["restaurant__name", "channel__name"]
        permissions = [("replace_connection_secret", "Can replace a connection's secret credentials")]
        constraints = [
            models.UniqueConstraint(
                fields=["restaurant", "channel", "environment"], name="unique_connection_per_environment"
            ),
            models.UniqueConstraint(fields=["channel", "environment", "store_id"], name="unique_channel_store"),
        ]

    def __str__(self) -> str:
        return f"{self.restaurant} on {self.channel} ({self.environment})"

    @property
    def base_url(self) -> str:
        """The channel API's base URL for this connection's environment ('' means the module's default)."""
        if self.environment == Environment.PRODUCTION:
            return self.channel.production_base_url
        return self.channel.sandbox_base_url

    def is_channel_paused(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.channel_paused and (self.channel_paused_until is None or self.channel_paused_until > now)

    def circuit_is_open(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.circuit_open_until is not None and self.circuit_open_until > now
