"""Channel tokens kept for every worker: OAuth access tokens and a channel's rotated refresh tokens."""

from __future__ import annotations

from django.db import models


class ChannelToken(models.Model):
    """One token, encrypted with the credentials key ring; the cache serves it, this row outlives the cache.

    A channel that rotates its refresh token on every use (Wolt) makes the newest one the only key to the
    venue: lost with a cache restart, the restaurant would have to connect again.
    """

    key = models.CharField(max_length=64, unique=True, help_text="A hash of the token's store key")
    secret = models.TextField(help_text="The token, encrypted (never shown)")
    expires_at = models.DateTimeField(db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "channel token"

    def __str__(self) -> str:
        return f"token {self.key[:8]}… until {self.expires_at:%Y-%m-%d %H:%M}"
