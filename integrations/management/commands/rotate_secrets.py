"""``manage.py rotate_secrets``: re-encrypt stored credentials with the first key of the ring.

Rotation: put the new key first in SINQRO_SECRET_KEYS (keep the old one after
it), deploy, run this, then drop the old key.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from integrations.models import Connection


class Command(BaseCommand):
    help = "Re-encrypt every connection's credentials with the first key of SINQRO_SECRET_KEYS."

    def handle(self, *args, **options):
        rotated = 0
        with transaction.atomic():
            # Reading decrypts with any key of the ring; saving encrypts with the first.
            for connection in Connection.objects.select_for_update().only("pk", "credentials"):
                connection.save(update_fields=["credentials"])
                rotated += 1
        self.stdout.write(self.style.SUCCESS(f"Re-encrypted the credentials of {rotated} connection(s)."))
