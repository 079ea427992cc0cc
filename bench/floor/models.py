from django.db import models


class FloorEvent(models.Model):
    """A raw request body and nothing else: what the cheapest possible webhook endpoint stores."""

    body = models.BinaryField()

    def __str__(self) -> str:
        return f"floor event {self.pk}"
