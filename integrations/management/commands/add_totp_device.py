"""``manage.py add_totp_device <username>``: enrol a staff member's authenticator app for the two-factor admin.

Creates a confirmed TOTP device and prints its ``otpauth://`` URL once (``--qr`` also draws it as a QR code in the
terminal): the staff member scans or pastes it into their authenticator app, then logs in to admin with the
password and the 6-digit code. The key is not shown again by this command; ``--replace`` drops the user's
existing TOTP devices first (a lost phone).
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Create a confirmed TOTP device for a user and print its otpauth:// URL once."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="authenticator", help="the device's name in admin")
        parser.add_argument("--replace", action="store_true", help="delete the user's other TOTP devices first")
        parser.add_argument("--qr", action="store_true", help="also print the URL as a QR code (terminal)")

    def handle(self, *args, username, name, replace, qr, **options):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.get_by_natural_key(username)
        except user_model.DoesNotExist:
            raise CommandError(f"No user {username!r}.") from None
        with transaction.atomic():
            replaced = TOTPDevice.objects.filter(user=user).delete()[0] if replace else 0
            device = TOTPDevice.objects.create(user=user, name=name, confirmed=True)
        if not user.is_staff:
            self.stderr.write(self.style.WARNING(f"{username} is not staff: admin will not let them in anyway."))
        if replaced:
            self.stdout.write(f"Deleted {replaced} earlier TOTP device(s) of {username}.")
        self.stdout.write(
            f"TOTP device {name!r} created for {username}. Add this URL to their authenticator app "
            "(it is shown only now; keep it secret):"
        )
        self.stdout.write(device.config_url)
        if qr:
            import io

            import qrcode

            code = qrcode.QRCode(border=1)
            code.add_data(device.config_url)
            text = io.StringIO()
            code.print_ascii(out=text, invert=True)
            self.stdout.write(text.getvalue())
