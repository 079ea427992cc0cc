"""`manage.py seed_demo [--reset-passwords]`: the demo restaurant, its catalog, opening hours and logins.

Idempotent. ``DEMO_ADMIN_PASSWORD`` / ``DEMO_MANAGER_PASSWORD`` set the logins' passwords, also of users that
exist already; ``--reset-passwords`` (or ``DEMO_RESET_PASSWORDS=1``) gives them new ones, printed.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from catalog.demo import ensure_demo_restaurant, seed_demo_catalog
from catalog.demo_users import ensure_demo_users
from restaurants.demo import add_demo_opening_hours
from sinqro_platform.languages.models import RestaurantLanguage

RESET_HINT = (
    "password unchanged (only its hash is kept: `make demo DEMO_RESET_PASSWORDS=1` prints new ones, "
    "DEMO_{who}_PASSWORD=... sets yours)"
)


class Command(BaseCommand):
    help = "Create the demo restaurant Casa Lucía with its menu, opening hours and demo logins (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset-passwords", action="store_true",
            default=os.environ.get("DEMO_RESET_PASSWORDS", "") not in ("", "0"),
            help="Give the demo logins new passwords and print them (also DEMO_RESET_PASSWORDS=1).",
        )

    def handle(self, *args, reset_passwords: bool, **options) -> None:
        with transaction.atomic():
            restaurant, created = ensure_demo_restaurant()
            report = seed_demo_catalog(restaurant)
            add_demo_opening_hours(restaurant)
            # A Madrid restaurant: its POS API answers and its figures in Spanish unless asked otherwise.
            RestaurantLanguage.objects.get_or_create(restaurant=restaurant, defaults={"language": "es"})
            logins = ensure_demo_users(
                restaurant,
                admin_password=os.environ.get("DEMO_ADMIN_PASSWORD") or None,
                manager_password=os.environ.get("DEMO_MANAGER_PASSWORD") or None,
                reset=reset_passwords,
            )

        state = "created" if created else "already existed"
        self.stdout.write(f"Restaurant {restaurant.name} ({restaurant.slug}) {state}.")
        if report.total:
            summary = ", ".join(f"{count} {name}" for name, count in sorted(report.created.items()))
            self.stdout.write(f"Catalog rows created: {summary}.")
        else:
            self.stdout.write("Catalog already complete: nothing created.")

        base_url = settings.SINQRO_PUBLIC_URL.rstrip("/")
        self.stdout.write(self.style.SUCCESS("Demo logins:"))
        for login, who in zip(logins, ("ADMIN", "MANAGER"), strict=True):
            if login.password is not None:
                note = "new password" if login.reset else login.description
                self.stdout.write(f"  {login.username} / {login.password}  ({note})")
            else:
                self.stdout.write(f"  {login.username}: {RESET_HINT.format(who=who)}  ({login.description})")
        self.stdout.write(f"Admin:             {base_url}/admin/")
        self.stdout.write(f"{restaurant.name}'s page: {base_url}/restaurants/{restaurant.slug}/")
