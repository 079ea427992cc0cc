"""What channels sent us: every authenticated webhook, stored before it is processed."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_correlation_id() -> str:
    return uuid.uuid4().hex


class WebhookEvent(models.Model):
    """The raw request of one authenticated webhook, and how processing it ended.

    Unique per (connection, dedup_key): a redelivery finds the existing row and
    changes nothing, unless processing it had failed: then the redelivery takes
    it again (``inbound/redelivery.py``). The body is kept byte for byte so staff
    can re-process it after a code fix.
    """

    class State(models.TextChoices):
        RECEIVED = "received", _("Received")
        HELD = "held", _("Held (connection disabled)")
        PROCESSING = "processing", _("Processing")
        PROCESSED = "processed", _("Processed")
        IGNORED = "ignored", _("Ignored")
        FAILED = "failed", _("Failed")

    # Indexes are paid on every insert, the hot path's one write: connection_id leads two composite
    # indexes below (no index of its own); order and channel_order_id, empty on arrival, are indexed
    # only once set.
    connection = models.ForeignKey(
        "integrations.Connection", on_delete=models.PROTECT, related_name="webhook_events", db_index=False
    )
    dedup_key = models.CharField(max_length=200)
    # Not indexed: support searches it (admin search, a substring match, which no index serves).
    correlation_id = models.CharField(max_length=64, default=new_correlation_id)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    method = models.CharField(max_length=8, default="POST")
    headers = models.JSONField(default=dict, blank=True, help_text=_("The relevant headers, secrets masked"))
    body = models.BinaryField()
    remote_addr = models.GenericIPAddressField(null=True, blank=True)

    state = models.CharField(max_length=20, choices=State.choices, default=State.RECEIVED)
    event_type = models.CharField(max_length=40, blank=True, help_text=_("What the module parsed it into"))
    channel_order_id = models.CharField(max_length=120, blank=True)
    order = models.ForeignKey(
        "orders.Order", on_delete=models.SET_NULL, null=True, blank=True, related_name="webhook_events", db_index=False
    )
    attempts = models.PositiveIntegerField(default=0)
    # The worker processing it (integrations/inbound/lease.py): when it took the event (every later write of that
    # run is fenced by it) and until when its lease holds, renewed while it works; a lapsed lease lost its worker.
    claimed_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    traceback = models.TextField(blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["connection", "dedup_key"], name="unique_webhook_per_connection"),
        ]
        indexes = [
            models.Index(fields=["state", "received_at"], name="webhook_state_received"),
            models.Index(fields=["connection", "-received_at"], name="webhook_connection_received"),
            models.Index(fields=["order"], condition=models.Q(order__isnull=False), name="webhook_order"),
            models.Index(
                fields=["channel_order_id"], condition=~models.Q(channel_order_id=""), name="webhook_channel_order"
            ),
        ]

    def __str__(self) -> str:
        return f"webhook {self.pk} ({self.event_type or 'unparsed'}, {self.state})"


class WebhookRejection(models.Model):
    """A request we refused before trusting it: counted, with a capped sample for support."""

    connection = models.ForeignKey(
        "integrations.Connection",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="webhook_rejections_log",
    )
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    status_code = models.PositiveSmallIntegerField()
    reason = models.CharField(max_length=300)
    remote_addr = models.GenericIPAddressField(null=True, blank=True)
    headers = models.JSONField(default=dict, blank=True)
    body_sample = models.TextField(blank=True, help_text=_("At most the first 1 KiB, never the whole body"))

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.status_code} {self.reason}"
