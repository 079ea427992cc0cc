"""``manage.py create_api_key <restaurant-slug> [<slug>…] --name "Till 1"``: prints the key once."""

from django.core.management.base import BaseCommand, CommandError

from api.keys import create_api_key
from restaurants.models import Restaurant


class Command(BaseCommand):
    help = "Create a POS API key for one or more restaurants. The key is printed once and stored hashed."

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="+", metavar="restaurant-slug")
        parser.add_argument("--name", required=True, help='What uses the key, e.g. "Till 1"')

    def handle(self, *args, slugs: list[str], name: str, **options):
        restaurants = list(Restaurant.objects.filter(slug__in=slugs))
        missing = sorted(set(slugs) - {restaurant.slug for restaurant in restaurants})
        if missing:
            raise CommandError(f"no restaurant with slug {', '.join(missing)}")
        api_key, key = create_api_key(restaurants, name)
        self.stderr.write(f"Created {api_key}. Copy the key now: it will not be shown again.")
        self.stdout.write(key)
