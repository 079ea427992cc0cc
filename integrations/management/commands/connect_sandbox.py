"""``manage.py connect_sandbox [slug]``: connect a restaurant to the running Sandbox Market."""

from django.core.management.base import BaseCommand, CommandError

from integrations.demo import connect_restaurant_to_sandbox
from restaurants.models import Restaurant


class Command(BaseCommand):
    help = "Connect a restaurant (default: the demo one) to the Sandbox Market and register its store there."

    def add_arguments(self, parser):
        parser.add_argument("slug", nargs="?", default="casa-lucia")
        parser.add_argument("--market-url", default=None)

    def handle(self, *args, slug: str, market_url: str | None, **options):
        try:
            restaurant = Restaurant.objects.get(slug=slug)
        except Restaurant.DoesNotExist:
            raise CommandError(f"no restaurant with slug {slug!r} (run manage.py seed_demo first)") from None
        demo = connect_restaurant_to_sandbox(restaurant, market_url=market_url)
        verb = "Connected" if demo.created else "Re-registered"
        self.stdout.write(self.style.SUCCESS(f"{verb} {demo.connection}; webhooks go to {demo.webhook_url}"))
