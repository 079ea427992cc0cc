"""``manage.py demo_orders``: make the Sandbox Market send orders and reservations at a steady rate."""

import threading

from django.core.management.base import BaseCommand

from integrations.inbound.demo import run_order_generator


class Command(BaseCommand):
    help = "Create orders and reservations in the Sandbox Market at a steady rate until interrupted."

    def add_arguments(self, parser):
        parser.add_argument("--market-url", default="http://127.0.0.1:8100")
        parser.add_argument("--store", default="casa-lucia")
        parser.add_argument("--per-minute", type=float, default=3.0)

    def handle(self, *args, market_url: str, store: str, per_minute: float, **options):
        stop = threading.Event()
        self.stdout.write(f"Sending about {per_minute:g} orders a minute from {market_url} (store {store}).")
        try:
            created = run_order_generator(market_url, store, per_minute, stop)
        except KeyboardInterrupt:
            stop.set()
            created = None
        if created is not None:
            self.stdout.write(f"Created {created} orders.")
