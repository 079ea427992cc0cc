"""API keys: how a POS (or Sinqro core) proves which restaurants it speaks for."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiKeyQuerySet(models.QuerySet["ApiKey"]):
    def active(self) -> ApiKeyQuerySet:
        return self.filter(revoked_at__isnull=True)


class ApiKey(models.Model):
    """A per-restaurant key. Only its SHA-256 is stored: the key itself is shown once, at creation.

    A 256-bit random key needs no slow hash (nobody can guess it); the prefix
    lets staff tell keys apart and lets authentication find the row.
    """

    name = models.CharField(max_length=100, help_text=_('What uses it, e.g. "Till 1"'))
    prefix = models.CharField(max_length=16, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    restaurants = models.ManyToManyField("restaurants.Restaurant", related_name="api_keys")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API key")

    def __str__(self) -> str:
        state = " (revoked)" if self.revoked_at else ""
        return f"{self.name} [{self.prefix}…]{state}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
