"""What we published on a channel: our object, the channel's id, and a fingerprint."""

from django.db import models


class ExternalRef(models.Model):
    """Our entity ↔ the channel's id for it, plus the fingerprint last published.

    ``kind`` + ``local_ref`` name our side (e.g. ``product`` + its SKU); the
    fingerprint is a hash of the canonical form last pushed, so an unchanged
    entity needs no call.
    """

    connection = models.ForeignKey("integrations.Connection", on_delete=models.CASCADE, related_name="external_refs")
    kind = models.CharField(max_length=40)
    local_ref = models.CharField(max_length=120)
    external_id = models.CharField(max_length=200, blank=True)
    fingerprint = models.CharField(max_length=64, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["connection", "kind", "local_ref"], name="unique_external_ref"),
        ]
        indexes = [models.Index(fields=["connection", "kind", "external_id"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.local_ref} → {self.external_id or '?'}"
