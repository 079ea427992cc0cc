"""`manage.py seed_demo`: the demo restaurant, its catalog, opening hours and logins. Idempotent."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from catalog.demo import ensure_demo_restaurant, seed_demo_catalog
from catalog.demo_users import ensure_demo_users
from restaurants.demo import add_demo_opening_hours


class Command(BaseCommand):
    help = "Create the demo restaurant Casa Lucía with its menu, opening hours and demo logins (idempotent)."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            restaurant, created = ensure_demo_restaurant()
            report = seed_demo_catalog(restaurant)
            add_demo_opening_hours(restaurant)
            logins = ensure_demo_users(
                restaurant,
                admin_password=os.environ.get("DEMO_ADMIN_PASSWORD"),
                manager_password=os.environ.get("DEMO_MANAGER_PASSWORD"),
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
        for login in logins:
            if login.created:
                self.stdout.write(f"  {login.username} / {login.password}  ({login.description})")
            else:
                self.stdout.write(f"  {login.username} already exists, password unchanged  ({login.description})")
        self.stdout.write(f"Admin: {base_url}/admin/")
        self.stdout.write(f"Site:  {base_url}/")
