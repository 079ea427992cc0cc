"""Bench 3: publishing a large catalog to the Sandbox Market (a real process, over HTTP).

    .venv/bin/python bench/catalog.py            # PostgreSQL + Redis, see bench/_catalog_pages_db.py

A synthetic restaurant: 5,000 products with 3 variants each, 6 option
categories of 5 options (each product offers one of them, in turn: the
Sandbox Market nests every option group inside every item, and with two
groups per product the upload is 8 MB, over the market's 5 MiB body limit,
which it rejects with a 400 and we record as a failed job), one menu of 50
sections. Measured on PostgreSQL:

* build-and-diff: ``build_canonical_catalog`` (queries, time) and the diff of
  the canonical catalog against the fingerprints last published, with the
  peak of Python allocations (tracemalloc) of each;
* three publishes, each from the service call (``publish_catalog``: build,
  serialise, write the outbox row) to the job's end (the runner, the same
  function a Celery worker's task calls, run in this process so its queries
  and time are measured): a first publish, an unchanged republish (target:
  zero channel calls, under 2 s) and one price change (target: one call).

Channel calls are counted twice: our ``ChannelCall`` rows and the market's
own API log. The market answers a full upload asynchronously; our time does
not include the poll interval (set to 0.2 s here), only our own work.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import sys
import time
import tracemalloc
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

STORE = "bench-catalog"
API_KEY = "mk_bench_catalog_KEY_0001"
WEBHOOK_SECRET = "whsec_bench_catalog_SECRET_0001"
REPUBLISH_TARGET_SECONDS = 2.0


def build_catalog(
    restaurant, products: int, variants: int, categories: int, options: int, per_product: int, sections: int
) -> dict[str, int]:
    """Bulk-create the synthetic catalog; returns the row counts."""
    from catalog.models import (
        Menu,
        Option,
        OptionCategory,
        Product,
        ProductOptionCategory,
        Section,
        SectionItem,
        Variant,
    )

    cats = OptionCategory.objects.bulk_create(
        OptionCategory(
            restaurant=restaurant,
            ref=f"cat-{c}",
            name=f"Categoría {c}",
            min_selections=0,
            max_selections=3,
            max_per_option=1,
            position=c,
        )
        for c in range(categories)
    )
    Option.objects.bulk_create(
        Option(
            category=cat,
            sku=f"OPT-{c}-{o}",
            name=f"Extra {c}.{o}",
            price=Decimal("0.50") * (o + 1),
            vat_rate=Decimal("10.00"),
            position=o,
        )
        for c, cat in enumerate(cats)
        for o in range(options)
    )
    prods = Product.objects.bulk_create(
        (
            Product(
                restaurant=restaurant,
                sku=f"PRD-{p:05d}",
                name=f"Plato {p}",
                description=f"Receta de la casa {p}.",
                price=Decimal("8.00") + Decimal(p % 50) / 10,
                vat_rate=Decimal("10.00"),
                position=p,
            )
            for p in range(products)
        ),
        batch_size=2000,
    )
    Variant.objects.bulk_create(
        (
            Variant(
                product=product,
                sku=f"{product.sku}-V{v}",
                name=f"Tamaño {v}",
                price=product.price + Decimal(v * 2),
                position=v,
            )
            for product in prods
            for v in range(variants)
        ),
        batch_size=5000,
    )
    ProductOptionCategory.objects.bulk_create(
        (
            ProductOptionCategory(product=product, category=cats[(p + k) % categories], position=k)
            for p, product in enumerate(prods)
            for k in range(min(per_product, categories))
        ),
        batch_size=5000,
    )
    menu = Menu.objects.create(restaurant=restaurant, name="Carta")
    secs = Section.objects.bulk_create(Section(menu=menu, name=f"Sección {s}", position=s) for s in range(sections))
    per_section = -(-products // sections)
    SectionItem.objects.bulk_create(
        (
            SectionItem(section=secs[p // per_section], product=product, position=p % per_section)
            for p, product in enumerate(prods)
        ),
        batch_size=5000,
    )
    return {
        "products": products,
        "variants": products * variants,
        "option_categories": categories,
        "options": categories * options,
        "product_option_category_links": products * min(per_product, categories),
        "menus": 1,
        "sections": sections,
    }


def measured(fn, *, memory: bool = False) -> tuple[Any, dict[str, Any]]:
    """Run ``fn`` and return its result with time, queries and (optionally) the peak of Python allocations."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    gc.collect()
    if memory:
        tracemalloc.start()
    with CaptureQueriesContext(connection) as queries:
        started, cpu = time.perf_counter(), time.process_time()
        result = fn()
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    figures: dict[str, Any] = {
        "seconds": round(elapsed, 3),
        "cpu_seconds": round(cpu, 3),
        "queries": len(queries.captured_queries),
    }
    if memory:
        figures["peak_mib"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
        tracemalloc.stop()
    return result, figures


def run_jobs(timeout: float = 120.0) -> dict[str, Any]:
    """Run pending jobs in this process until none is left, like a worker; time only our own work."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from integrations.models import SyncJob
    from integrations.outbound import runner

    busy = cpu = 0.0
    queries = 0
    runs = 0
    deadline = time.monotonic() + timeout
    while True:
        due = list(SyncJob.objects.filter(state=SyncJob.State.PENDING).order_by("id").values_list("id", flat=True))
        if not due and not SyncJob.objects.filter(state=SyncJob.State.RUNNING).exists():
            break
        for job_id in due:
            with CaptureQueriesContext(connection) as captured:
                started, cpu_started = time.perf_counter(), time.process_time()
                outcome = runner.run_sync_job(job_id)
                busy += time.perf_counter() - started
                cpu += time.process_time() - cpu_started
            queries += len(captured.captured_queries)
            runs += outcome != "not claimed"
        if time.monotonic() > deadline:
            raise TimeoutError("catalog jobs still pending")
        time.sleep(0.05)
    return {"seconds": round(busy, 3), "cpu_seconds": round(cpu, 3), "queries": queries, "runs": runs}


def publish(restaurant, market) -> dict[str, Any]:
    """publish_catalog + the runner; figures of both and the calls the channel saw."""
    from integrations.models import ChannelCall, SyncJob
    from integrations.outbound.services import publish_catalog

    calls_before = ChannelCall.objects.count()
    log_before = len(market.log(STORE))
    jobs, service = measured(lambda: publish_catalog(restaurant))
    worker = run_jobs()
    [job] = [SyncJob.objects.get(pk=job.pk) for job in jobs]
    calls = list(ChannelCall.objects.order_by("id").values_list("operation", flat=True)[calls_before:])
    by_operation: dict[str, int] = {}
    for operation in calls:
        by_operation[operation] = by_operation.get(operation, 0) + 1
    market_calls = len(market.log(STORE)) - log_before
    return {
        "state": job.state,
        "plan": job.result.get("plan"),
        "summary": job.result.get("summary", job.last_error)[:120],
        "service_seconds": service["seconds"],
        "service_queries": service["queries"],
        "worker_seconds": worker["seconds"],
        "worker_queries": worker["queries"],
        "total_seconds": round(service["seconds"] + worker["seconds"], 3),
        "total_cpu_seconds": round(service["cpu_seconds"] + worker["cpu_seconds"], 3),
        "total_queries": service["queries"] + worker["queries"],
        "channel_calls": len(calls),
        "channel_calls_by_operation": by_operation,
        "market_log_entries": market_calls,
        "payload_bytes": len(__import__("json").dumps(job.payload)),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=5000)
    parser.add_argument("--variants", type=int, default=3)
    parser.add_argument("--categories", type=int, default=6)
    parser.add_argument("--options", type=int, default=5)
    parser.add_argument("--categories-per-product", type=int, default=1)
    parser.add_argument("--sections", type=int, default=50)
    args = parser.parse_args()

    database_url = prepare_environment("sinqro_bench_b")
    # The market answers a full upload asynchronously; poll it often so the bench does not wait on our timer.
    os.environ.setdefault("OUTBOUND_PUBLISH_POLL_SECONDS", "0.2")
    print(f"database {database_url}: recreating and migrating…", flush=True)
    recreate_database(database_url)
    setup_django()

    from catalog.export import build_canonical_catalog
    from channel_simulators.testing import running_sandbox_market
    from integrations.channels.features import Feature
    from integrations.channels.registry import get_module
    from integrations.models import Channel, Connection
    from integrations.outbound import catalog_diff
    from restaurants.models import Restaurant
    from sinqro_platform.celery import app

    # Jobs run in this process (see run_jobs): what services publish goes to an in-memory broker nobody reads.
    app.conf.broker_url = app.conf.broker_write_url = "memory://"

    started = time.perf_counter()
    restaurant = Restaurant.objects.create(name="Bench Catalog", slug="bench-catalog", currency="EUR")
    counts = build_catalog(
        restaurant,
        args.products,
        args.variants,
        args.categories,
        args.options,
        args.categories_per_product,
        args.sections,
    )
    print(f"catalog created in {time.perf_counter() - started:.1f} s: {counts}", flush=True)

    results: dict[str, Any] = {"catalog": counts}
    with running_sandbox_market() as market:
        market.register_store(store_ref=STORE, api_key=API_KEY, webhook_secret=WEBHOOK_SECRET, currency="EUR")
        channel = Channel.objects.create(
            name="Sandbox Market (bench)", module="sandbox_market", sandbox_base_url=market.url
        )
        connection = Connection.objects.create(
            restaurant=restaurant,
            channel=channel,
            store_id=STORE,
            credentials={"api_key": API_KEY, "webhook_secret": WEBHOOK_SECRET},
        )
        options = get_module("sandbox_market").features.options(Feature.PUBLISH_CATALOG)

        # 1. Build and diff, alone (times without tracemalloc, then once more with it for the peak).
        canonical, build = measured(lambda: build_canonical_catalog(restaurant))
        _, build_mem = measured(lambda: build_canonical_catalog(restaurant), memory=True)
        build["peak_mib"] = build_mem["peak_mib"]
        results["build"] = build

        print("first publish…", flush=True)
        results["first_publish"] = publish(restaurant, market)
        published = catalog_diff.published_fingerprints(connection.pk)
        plan, diff = measured(
            lambda: catalog_diff.plan(canonical, catalog_diff.published_fingerprints(connection.pk), options)
        )
        _, diff_mem = measured(lambda: catalog_diff.plan(canonical, published, options), memory=True)
        diff["peak_mib"] = diff_mem["peak_mib"]
        diff["plan"] = plan.action
        diff["entities"] = len(published)
        results["diff"] = diff

        print("unchanged republish…", flush=True)
        results["unchanged_republish"] = publish(restaurant, market)
        republish_peak = measured(lambda: publish(restaurant, market), memory=True)[1]["peak_mib"]
        results["unchanged_republish"]["peak_mib"] = republish_peak

        print("one price change…", flush=True)
        from catalog.models import Product

        product = Product.objects.get(restaurant=restaurant, sku="PRD-02500")
        product.price += Decimal("1.00")
        product.save(update_fields=["price"])
        results["one_price_change"] = publish(restaurant, market)

    results["max_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    results["machine"] = machine()
    republish = results["unchanged_republish"]
    price = results["one_price_change"]
    results["targets"] = {
        "unchanged_republish_zero_calls": republish["channel_calls"] == 0 and republish["market_log_entries"] == 0,
        "unchanged_republish_under_2_s": republish["total_seconds"] < REPUBLISH_TARGET_SECONDS,
        "one_price_change_one_call": price["channel_calls"] == 1 and price["market_log_entries"] == 1,
    }

    markdown = render(results)
    print()
    print(markdown)
    json_path, _ = write_results("catalog", results, markdown)
    print(f"\nwritten: {json_path.relative_to(ROOT)} (+ .md)")
    return 0 if all(results["targets"].values()) else 1


def render(results: dict[str, Any]) -> str:
    c = results["catalog"]
    lines = [
        f"## Bench 3: catalog ({c['products']:,} products, {c['variants']:,} variants, "
        f"{c['option_categories']} option categories of {c['options'] // max(c['option_categories'], 1)} options, "
        f"{c['product_option_category_links']:,} product-category links)",
        "",
        table(
            ["step", "seconds", "CPU s", "queries", "peak MiB (tracemalloc)"],
            [
                [
                    "build_canonical_catalog",
                    results["build"]["seconds"],
                    results["build"]["cpu_seconds"],
                    results["build"]["queries"],
                    results["build"]["peak_mib"],
                ],
                [
                    f"diff against {results['diff']['entities']:,} fingerprints (incl. loading them)",
                    results["diff"]["seconds"],
                    results["diff"]["cpu_seconds"],
                    results["diff"]["queries"],
                    results["diff"]["peak_mib"],
                ],
            ],
        ),
        "",
    ]
    rows = []
    for name in ("first_publish", "unchanged_republish", "one_price_change"):
        r = results[name]
        ops = ", ".join(f"{op} {n}" for op, n in r["channel_calls_by_operation"].items()) or "—"
        rows.append(
            [
                name.replace("_", " "),
                r["plan"],
                r["service_seconds"],
                r["worker_seconds"],
                r["total_seconds"],
                r["total_cpu_seconds"],
                r["total_queries"],
                f"{r['channel_calls']} ({ops})",
                r["market_log_entries"],
                r["state"],
            ]
        )
    lines += [
        table(
            [
                "publish",
                "plan",
                "service s",
                "runner s",
                "total s",
                "CPU s (ours)",
                "queries",
                "our channel calls",
                "market API log",
                "job",
            ],
            rows,
        ),
        "",
        f"Job payload (the canonical catalog): {results['first_publish']['payload_bytes'] / 2**20:.1f} MiB; "
        f"peak Python allocations of an unchanged republish: {results['unchanged_republish']['peak_mib']} MiB; "
        f"process max RSS: {results['max_rss_mib']} MiB.",
        "",
        "Targets: "
        + ", ".join(f"{k.replace('_', ' ')}: {'met' if v else 'MISSED'}" for k, v in results["targets"].items()),
        "",
        f"Machine: {results['machine']['cpus']} CPUs, Python {results['machine']['python']}; "
        f"`uptime`: {results['machine']['uptime']}",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
