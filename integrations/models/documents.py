"""Documents the platform hosts for a channel that downloads a file instead of taking it in a request."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class HostedDocument(models.Model):
    """One file served at ``/channel-files/<token>`` until ``expires_at`` (Glovo's ``menu_url``).

    The token is random and unguessable: it is the secret. ``bearer_token_hash`` (SHA-256 of the token the
    module asked for) makes the download need ``Authorization: Bearer <token>`` as well.
    """

    connection = models.ForeignKey(
        "integrations.Connection", on_delete=models.CASCADE, related_name="hosted_documents", null=True, blank=True
    )
    token = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=200, help_text=_("What the file is, as the module named it"))
    content = models.BinaryField()
    content_type = models.CharField(max_length=100)
    bearer_token_hash = models.CharField(max_length=64, blank=True,
                                         help_text=_("SHA-256 of the Bearer token a download must carry (empty: none)"))
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)
    downloads = models.PositiveIntegerField(default=0, help_text=_("How many times the channel fetched it"))
    last_downloaded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} (until {self.expires_at:%Y-%m-%d %H:%M})"
