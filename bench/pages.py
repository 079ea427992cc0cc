"""Bench 5: admin changelists and the restaurant status page at 1,000 and at 100,000 rows.

    .venv/bin/python bench/pages.py            # PostgreSQL + Redis, see bench/_catalog_pages_db.py

Orders, webhook events, sync jobs (one catalog job in 200 carries a 100 KB
catalog), sync attempts and channel call records are bulk-created; each page
is fetched with Django's test client (a superuser for admin, a restaurant
member for the status page): one warm-up, then the median of three timed
requests and the number of queries. Then the tables grow to 100,000 rows each
and every page is measured again. Target: the query count of every page is
the same at both sizes (no query per row).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Iterable
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

from bench._catalog_pages_db import (  # noqa: E402
    machine,
    prepare_environment,
    recreate_database,
    setup_django,
    table,
    write_results,
)

RESTAURANTS = 4
CHANNELS = 2
CATALOG_EVERY = 200
CATALOG_PAYLOAD_PRODUCTS = 200
REPEATS = 3


class World:
    """The fixed part: restaurants, channels, connections, users."""

    def __init__(self) -> None:
        from django.contrib.auth import get_user_model

        from integrations.models import Channel, Connection
        from restaurants.models import Restaurant, RestaurantMember

        user_model = get_user_model()
        self.restaurants = [
            Restaurant.objects.create(name=f"Bench Pages {r}", slug=f"bench-pages-{r}", currency="EUR")
            for r in range(RESTAURANTS)
        ]
        channels = [Channel.objects.create(name=f"Bench Market {c}", module="sandbox_market") for c in range(CHANNELS)]
        self.connections = [
            Connection.objects.create(
                restaurant=restaurant,
                channel=channel,
                store_id=f"store-{r}-{c}",
                credentials={"api_key": "mk_bench_pages_KEY", "webhook_secret": "whsec_bench_pages"},
            )
            for r, restaurant in enumerate(self.restaurants)
            for c, channel in enumerate(channels)
        ]
        self.admin = user_model.objects.create_superuser("bench-admin", "admin@example.com", "bench-password-1")
        self.member = user_model.objects.create_user("bench-member", "member@example.com", "bench-password-1")
        RestaurantMember.objects.create(restaurant=self.restaurants[0], user=self.member)
        self.created = 0
        self.catalog_payload = _catalog_payload()


def _catalog_payload() -> dict[str, Any]:
    """A canonical catalog of CATALOG_PAYLOAD_PRODUCTS products (~100 KB), as a catalog job carries it."""
    products = [
        {
            "sku": f"PRD-{p:04d}",
            "name": f"Plato {p}",
            "description": "Receta de la casa.",
            "price": "9.50",
            "vat_rate": "10.00",
            "available": True,
            "image_url": "",
            "variants": [
                {"sku": f"PRD-{p:04d}-V{v}", "name": f"Tamaño {v}", "price": "11.50", "available": True}
                for v in range(3)
            ],
            "option_category_refs": ["salsas"],
        }
        for p in range(CATALOG_PAYLOAD_PRODUCTS)
    ]
    return {"currency": "EUR", "menus": [], "products": products, "option_categories": []}


def copy_rows(model, first_id: int, rows: Iterable[dict[str, Any]]) -> int:
    """COPY rows into ``model``'s table with ids from ``first_id``; fields left out get their default.

    ``bulk_create`` of 500,000 model instances took over two minutes on this
    machine; COPY of plain tuples takes a fraction of that.
    """
    from django.db import connection
    from django.utils import timezone

    now = timezone.now()
    fields = list(model._meta.concrete_fields)
    fixed: dict[str, Any] = {}
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            fixed[field.attname] = now
        elif not (field.has_default() and callable(field.default)):
            fixed[field.attname] = field.get_default()
    columns = ", ".join(f'"{field.column}"' for field in fields)
    count = 0
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN') as copy,
    ):
        for count, row in enumerate(rows, start=1):
            row["id"] = first_id + count - 1
            copy.write_row(
                [
                    field.get_db_prep_save(
                        row[field.attname]
                        if field.attname in row
                        else (fixed[field.attname] if field.attname in fixed else field.get_default()),
                        connection,
                    )
                    for field in fields
                ]
            )
    with connection.cursor() as cursor:
        table = model._meta.db_table
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM \"{table}\"))")
    return count


def grow(world: World, count: int) -> None:
    """Add ``count`` rows to each table, older than every row already there (row i is i minutes old)."""
    from django.db import connection
    from django.utils import timezone

    from integrations.models import ChannelCall, SyncAttempt, SyncJob, WebhookEvent
    from orders.models import Order

    now = timezone.now()
    indexes = range(world.created, world.created + count)
    first = world.created + 1  # every table gets ids first..first+count-1: row i has id i + 1 everywhere
    at = [now - timedelta(minutes=i) for i in indexes]
    conns = world.connections
    n = len(conns)

    def minute(i: int):
        return at[i - world.created]

    copy_rows(
        Order,
        first,
        (
            {
                "restaurant_id": conns[i % n].restaurant_id,
                "connection_id": conns[i % n].pk,
                "channel_order_id": f"SM-{i:07d}",
                "display_code": f"#{i % 10000:04d}",
                "status": "delivered" if i > 50 else "accepted",
                "channel_status": "DELIVERED",
                "placed_at": minute(i),
                "customer_name": f"Cliente {i}",
                "address_street": "Calle Mayor 1",
                "address_city": "Madrid",
                "subtotal_amount": Decimal("20.00"),
                "vat_amount": Decimal("2.00"),
                "total_amount": Decimal("22.00"),
                "correlation_id": f"corr-{i:07d}",
            }
            for i in indexes
        ),
    )
    copy_rows(
        WebhookEvent,
        first,
        (
            {
                "connection_id": conns[i % n].pk,
                "dedup_key": f"evt-{i:07d}",
                "received_at": minute(i),
                "headers": {"Content-Type": "application/json", "X-Market-Signature": "***"},
                "body": (
                    b'{"event":"ticket.created","ticket":{"id":"SM-%07d","items":[{"plu":"PRD-0001","qty":2}],'
                    b'"customer":{"name":"Cliente","phone":"+34600000000"},"total_cents":2200}}' % i
                ),
                "state": "failed" if i % 100 == 7 else "processed",
                "event_type": "new_order",
                "channel_order_id": f"SM-{i:07d}",
                "order_id": i + 1,
                "attempts": 1,
                "processed_at": minute(i),
                "error": "KeyError: 'ticket'" if i % 100 == 7 else "",
            }
            for i in indexes
        ),
    )
    copy_rows(
        SyncJob,
        first,
        (
            {
                "connection_id": conns[i % n].pk,
                "kind": "catalog",
                "target": "catalog of the restaurant",
                "ordering_key": "catalog",
                "coalesce_key": "catalog",
                "payload": world.catalog_payload,
                "state": "succeeded",
                "attempts": 1,
                "created_at": minute(i),
                "finished_at": minute(i),
                "result": {"plan": "full", "summary": "full: first publish"},
            }
            if i % CATALOG_EVERY == 3
            else {
                "connection_id": conns[i % n].pk,
                "kind": "order_status",
                "order_id": i + 1,
                "target": f"order SM-{i:07d} → accepted",
                "ordering_key": f"order-{i + 1}",
                "payload": {
                    "order": {"channel_order_id": f"SM-{i:07d}", "service_type": "delivery"},
                    "update": {"status": "accepted", "prep_minutes": 15},
                },
                "state": "failed" if i % 100 == 11 else "succeeded",
                "attempts": 1,
                "last_error": "HTTP 503 from the channel: upstream unavailable" if i % 100 == 11 else "",
                "created_at": minute(i),
                "finished_at": minute(i),
                "result": {"sent": "accepted"},
            }
            for i in indexes
        ),
    )
    copy_rows(
        SyncAttempt,
        first,
        (
            {
                "job_id": i + 1,
                "number": 1,
                "started_at": minute(i),
                "duration_ms": 40,
                "outcome": "ok",
                "status_code": 200,
            }
            for i in indexes
        ),
    )
    copy_rows(
        ChannelCall,
        first,
        (
            {
                "connection_id": conns[i % n].pk,
                "sync_attempt_id": i + 1,
                "operation": "set_order_status",
                "correlation_id": f"corr-{i:07d}",
                "method": "POST",
                "url": f"http://127.0.0.1:8100/api/v2/stores/store/tickets/SM-{i:07d}/state",
                "request_headers": {"Content-Type": "application/json", "X-Market-Key": "***"},
                "request_body": '{"state": "CONFIRMED", "prep_minutes": 15}',
                "status_code": 200,
                "response_headers": {"Content-Type": "application/json"},
                "response_body": f'{{"ticket": {{"id": "SM-{i:07d}", "state": "CONFIRMED"}}}}',
                "duration_ms": 40,
                "outcome": "ok",
                "created_at": minute(i),
            }
            for i in indexes
        ),
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    world.created += count


def pages(world: World) -> list[tuple[str, str, str]]:
    """(name, who, url) of every page measured."""
    from integrations.models import SyncJob, WebhookEvent

    job = SyncJob.objects.filter(kind="order_status").order_by("-created_at").first()
    event = WebhookEvent.objects.order_by("-received_at").first()
    slug = world.restaurants[0].slug
    return [
        ("admin index", "admin", "/admin/"),
        ("WebhookEvent changelist", "admin", "/admin/integrations/webhookevent/"),
        ("WebhookEvent changelist, failed", "admin", "/admin/integrations/webhookevent/?state__exact=failed"),
        ("WebhookEvent change view", "admin", f"/admin/integrations/webhookevent/{event.pk}/change/"),
        ("SyncJob changelist", "admin", "/admin/integrations/syncjob/"),
        ("SyncJob changelist, failed", "admin", "/admin/integrations/syncjob/?state__exact=failed"),
        ("SyncJob change view (attempts, calls)", "admin", f"/admin/integrations/syncjob/{job.pk}/change/"),
        ("ChannelCall changelist", "admin", "/admin/integrations/channelcall/"),
        ("Order changelist", "admin", "/admin/orders/order/"),
        ("Order changelist, search", "admin", "/admin/orders/order/?q=SM-0000042"),
        ("Connection changelist", "admin", "/admin/integrations/connection/"),
        ("restaurant list", "member", "/restaurants/"),
        ("status page", "member", f"/restaurants/{slug}/"),
        ("status page live fragment", "member", f"/restaurants/{slug}/live/"),
    ]


def measure(world: World) -> dict[str, dict[str, Any]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    clients = {"admin": Client(), "member": Client()}
    clients["admin"].force_login(world.admin)
    clients["member"].force_login(world.member)
    found: dict[str, dict[str, Any]] = {}
    for name, who, url in pages(world):
        client = clients[who]
        response = client.get(url)  # warm-up (templates, caches)
        if response.status_code != 200:
            raise RuntimeError(f"{name}: {url} answered {response.status_code}")
        timings, counts = [], []
        for _ in range(REPEATS):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                timings.append(time.perf_counter() - started)
            counts.append(len(queries.captured_queries))
        found[name] = {
            "url": url,
            "who": who,
            "ms": round(statistics.median(timings) * 1000, 1),
            "queries": max(counts),
            "bytes": len(response.content),
        }
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=100_000)
    args = parser.parse_args()

    database_url = prepare_environment("sinqro_bench_b_pages")
    print(f"database {database_url}: recreating and migrating…", flush=True)
    recreate_database(database_url)
    setup_django()

    world = World()
    started = time.perf_counter()
    grow(world, args.small)
    print(f"{args.small:,} rows per table in {time.perf_counter() - started:.1f} s; measuring…", flush=True)
    small = measure(world)
    started = time.perf_counter()
    grow(world, args.large - args.small)
    print(f"{args.large:,} rows per table in {time.perf_counter() - started:.1f} s; measuring…", flush=True)
    large = measure(world)

    rows = []
    for name in small:
        s, big = small[name], large[name]
        rows.append(
            {
                "page": name,
                "who": s["who"],
                "ms_small": s["ms"],
                "queries_small": s["queries"],
                "ms_large": big["ms"],
                "queries_large": big["queries"],
                "same_queries": s["queries"] == big["queries"],
                "kib_large": round(big["bytes"] / 1024, 1),
            }
        )
    results = {
        "rows_small": args.small,
        "rows_large": args.large,
        "tables": ["Order", "WebhookEvent", "SyncJob", "SyncAttempt", "ChannelCall"],
        "pages": rows,
        "machine": machine(),
        "targets": {"query_count_independent_of_rows": all(row["same_queries"] for row in rows)},
    }
    markdown = render(results)
    print()
    print(markdown)
    json_path, _ = write_results("pages", results, markdown)
    print(f"\nwritten: {json_path.relative_to(ROOT)} (+ .md)")
    return 0 if all(results["targets"].values()) else 1


def render(results: dict[str, Any]) -> str:
    small, large = f"{results['rows_small']:,}", f"{results['rows_large']:,}"
    lines = [
        f"## Bench 5: admin and status pages at {small} and {large} rows "
        "(orders, webhook events, sync jobs, attempts, channel calls: each)",
        "",
        table(
            [
                "page",
                "as",
                f"ms @ {small}",
                f"queries @ {small}",
                f"ms @ {large}",
                f"queries @ {large}",
                "same",
                f"KiB @ {large}",
            ],
            [
                [
                    r["page"],
                    r["who"],
                    r["ms_small"],
                    r["queries_small"],
                    r["ms_large"],
                    r["queries_large"],
                    "yes" if r["same_queries"] else "NO",
                    r["kib_large"],
                ]
                for r in results["pages"]
            ],
        ),
        "",
        "Target: query count independent of row count: "
        + ("met" if results["targets"]["query_count_independent_of_rows"] else "MISSED"),
        "",
        f"Machine: {results['machine']['cpus']} CPUs, Python {results['machine']['python']}; "
        f"`uptime`: {results['machine']['uptime']}",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
