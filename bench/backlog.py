"""Bench 4, backlog drain: 10,000 pending jobs after a channel outage, drained within the channel's rate limit.

    .venv/bin/python bench/backlog.py [--jobs 10000] [--workers 2]

Setup (not timed): the market holds N orders; our database holds the same N
orders, each with a pending "accepted" job written by the outbox service while
no worker ran (the outage), so the broker holds N messages too. Timed: two
Celery worker processes and beat start, and we wait until every job is
finished. The market store is limited to the module's declared rate
(Sandbox Market: 50 calls per second); the market counts every call in a
sliding one-second window and reports the peak it saw and how many calls it
refused with 429. The floor for the drain time is N / limit.
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common

PROBE_CALLS = 12
PROBE_FLOOR_RPS = 12


def probe_market_rate(market) -> dict:
    """How fast one sequential client reaches the market, unlimited: the figure the backlog drain rests on.

    The market must take at least ``PROBE_FLOOR_RPS`` calls per second from a single client, or a drain at the
    declared limit measures the simulator, not us (the check moved here from tests/sandbox_market: a figure
    of the machine, not a behaviour).
    """
    store = market.register_store(store_ref="bench-rate-probe", api_key="probe-key", webhook_url=None,
                                  rate_limit_per_second=None)
    started = time.monotonic()
    statuses = [market.api("GET", store["store_ref"], "/status", "probe-key").status for _ in range(PROBE_CALLS)]
    elapsed = time.monotonic() - started
    peak = market.stats()["stores"][store["store_ref"]]["peak_rps"]
    figures = {"calls": PROBE_CALLS, "seconds": elapsed, "calls_per_second": PROBE_CALLS / elapsed,
               "peak_rps": peak, "all_ok": statuses == [200] * PROBE_CALLS, "floor_rps": PROBE_FLOOR_RPS}
    print(f"market probe: {PROBE_CALLS} sequential calls in {elapsed:.3f} s ({PROBE_CALLS / elapsed:.0f}/s), "
          f"market peak {peak} rps; reaches ≥ {PROBE_FLOOR_RPS}/s: {'yes' if peak >= PROBE_FLOOR_RPS else 'NO'}",
          flush=True)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--jobs", type=int, default=10000)
    parser.add_argument("--workers", type=int, default=2, help="Celery worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker process")
    parser.add_argument("--timeout", type=int, default=600, help="give up waiting after this many seconds")
    args = parser.parse_args()

    common.configure()
    common.setup_django()
    print("resetting the bench database and Redis dbs ...", flush=True)
    common.reset_database()
    common.flush_redis()
    from django.db import connections
    from django.db.models import Count, Sum

    from integrations.channels.registry import get_module
    from integrations.channels.sandbox_market.translate import ticket_to_order
    from integrations.models import ChannelCall, SyncJob
    from integrations.outbound.services import change_order_status
    from orders.channel_door import ChannelLink, take_order
    from orders.models import OrderStatus

    module = get_module("sandbox_market")
    limit = min(r.calls / r.per_seconds for r in module.rate_limits)
    with common.sandbox_market() as market:
        probe = probe_market_rate(market)
        # No webhooks: the orders reach our database directly, the market only keeps the tickets.
        demo = common.connect_demo_restaurant(market.url, "http://127.0.0.1:9", webhook_url=None,
                                              rate_limit_per_second=limit)
        store, connection = demo.connection.store_id, demo.connection
        link = ChannelLink(connection_id=connection.pk, restaurant_id=connection.restaurant_id)
        print(f"setup: {args.jobs:,} tickets in the market, orders and pending jobs in our database ...", flush=True)
        setup_started = time.monotonic()

        def one(_: int) -> None:
            try:  # each thread has its own database connection
                order, _ = take_order(link, ticket_to_order(market.create_ticket(store)))
                change_order_status(order, OrderStatus.ACCEPTED, prep_minutes=15)
            finally:
                connections.close_all()

        with ThreadPoolExecutor(6) as pool:
            list(pool.map(one, range(args.jobs)))
        pending = SyncJob.objects.filter(state=SyncJob.State.PENDING).count()
        print(f"setup took {time.monotonic() - setup_started:.0f} s; {pending:,} pending jobs", flush=True)

        processes: list[common.Process] = []
        try:
            # The outage ends: beat and the workers come up (timed from the first worker ready).
            processes.append(common.start_beat())
            processes.append(common.start_worker("worker0", args.threads))
            started = time.monotonic()
            processes += [common.start_worker(f"worker{n}", args.threads) for n in range(1, args.workers)]
            progress: list[tuple[float, int]] = []

            def unfinished() -> int:
                left = SyncJob.objects.filter(state__in=(SyncJob.State.PENDING, SyncJob.State.RUNNING)).count()
                progress.append((time.monotonic() - started, left))
                return left

            drained = common.wait_until(lambda: unfinished() == 0, timeout=args.timeout, interval=1.0)
            elapsed = time.monotonic() - started
        finally:
            for process in reversed(processes):
                process.stop()
        stats = market.stats()["stores"][store]
        confirmed = {e["ticket_id"] for e in market.log(store, kind="state") if e["payload"]["state"] == "CONFIRMED"}

    states = dict(SyncJob.objects.values_list("state").annotate(n=Count("id")))
    calls = ChannelCall.objects.count()
    attempts = SyncJob.objects.aggregate(n=Sum("attempts"))["n"] or 0
    floor_s = args.jobs / limit
    rows = [[args.jobs, f"{limit:g}/s", elapsed, floor_s, args.jobs / elapsed, stats["peak_rps"],
             stats["rate_limited"], states.get("succeeded", 0), states.get("failed", 0), len(confirmed)]]
    markdown = (
        f"### Backlog drain ({args.workers} worker processes × {args.threads} threads, PostgreSQL + Redis)\n\n"
        + common.table(["jobs", "declared limit", "drain s", "floor s (N/limit)", "jobs/s", "market peak rps",
                        "429s", "succeeded", "failed", "accepted at channel"], rows)
        + f"\n\nRate limit respected (peak ≤ {limit:g}): {'yes' if stats['peak_rps'] <= limit else 'NO'}; "
        f"drain {'complete' if drained else 'INCOMPLETE'}; "
        f"{calls:,} channel calls for {args.jobs:,} jobs ({attempts:,} counted attempts).\n\n"
        f"Market probe (one sequential client, no limit): {probe['calls']} calls in {probe['seconds']:.3f} s, "
        f"peak {probe['peak_rps']} rps; reaches ≥ {probe['floor_rps']}/s: "
        f"{'yes' if probe['peak_rps'] >= probe['floor_rps'] else 'NO'}."
    )
    common.write_results("backlog", {"bench": "backlog", "jobs": args.jobs, "limit_per_second": limit,
                                     "drain_seconds": elapsed, "floor_seconds": floor_s, "market": stats,
                                     "job_states": states, "channel_calls": calls, "attempts": attempts,
                                     "accepted_at_channel": len(confirmed), "progress": progress,
                                     "market_probe": probe}, markdown)


if __name__ == "__main__":
    main()
