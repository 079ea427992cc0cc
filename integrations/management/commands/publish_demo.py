"""``manage.py publish_demo [slug]``: the demo restaurant's menu and hours onto the Sandbox Market, waited for."""

from django.core.management.base import BaseCommand, CommandError

from integrations.demo import DEMO_CHANNEL_NAME, publish_menu_and_hours
from integrations.models import Connection


class Command(BaseCommand):
    help = "Publish the demo restaurant's menu and opening hours to the Sandbox Market and wait until it has them."

    def add_arguments(self, parser):
        parser.add_argument("slug", nargs="?", default="casa-lucia")
        parser.add_argument("--timeout", type=float, default=60)

    def handle(self, *args, slug: str, timeout: float, **options):
        connection = (
            Connection.objects.select_related("restaurant", "channel")
            .filter(restaurant__slug=slug, channel__name=DEMO_CHANNEL_NAME).first()
        )
        if connection is None:
            raise CommandError(f"{slug!r} is not connected to the Sandbox Market (run manage.py connect_sandbox)")
        published = publish_menu_and_hours(connection, timeout=timeout)
        if not published.succeeded:
            raise CommandError(f"the market did not take the menu and hours: {published.summary()}")
        self.stdout.write(self.style.SUCCESS(f"Menu and opening hours on the market: {published.summary()}."))
