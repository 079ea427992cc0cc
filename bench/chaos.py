"""The chaos run: the end-to-end order flow while things break, then a count of what arrived where.

    .venv/bin/python bench/chaos.py [--orders 1000] [--rate 10]

Orders are created in the Sandbox Market at a steady rate and auto-accepted
by the platform; the channel itself voids every 4th order once it is
accepted (a status change on the channel's side, sent to us by webhook).
Meanwhile a worker is SIGKILLed every ``--kill-every`` seconds (and a new one
started), the private Redis (broker and cache) is killed and restarted once,
the market answers every API call with a 500 for ``--outage`` seconds, and it
duplicates and reorders webhooks throughout. At the end we count, from the
market's records and ours: orders in the channel vs in our database, status
updates we sent vs the channel received, webhook events delivered vs stored,
and any duplicate effect. Target: nothing lost, nothing doubled.

The full run uses its own Redis server on a free port (never the shared one)
and the bench PostgreSQL database. ``tests/chaos/`` runs the same scenario
small (100 orders, one kill, a 5 s outage) in CI.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

VOID_EVERY = 4  # the channel voids every 4th order once accepted
# Shorter than production so the sweepers rescue what a killed worker held within the run (seconds).
CHAOS_ENV = {
    "OUTBOUND_BACKOFF_BASE_SECONDS": "2",
    "OUTBOUND_BACKOFF_MAX_SECONDS": "20",
    "OUTBOUND_CIRCUIT_OPEN_SECONDS": "5",
    "OUTBOUND_RUNNING_TIMEOUT_SECONDS": "20",
    "OUTBOUND_LANE_WAIT_SECONDS": "1",
    "WEBHOOK_SWEEP_AFTER_SECONDS": "10",
    "WEBHOOK_PROCESSING_TIMEOUT_SECONDS": "20",
    "CHANNEL_READ_TIMEOUT": "5",
}


# -- the scenario ---------------------------------------------------------------------------------------------------
@dataclass
class Run:
    """What happened during a run: tickets created, tickets the channel voided, the chaos timeline."""

    created: list[str] = field(default_factory=list)
    voided: list[str] = field(default_factory=list)
    timeline: list[tuple[float, str]] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)
    stop: threading.Event = field(default_factory=threading.Event)
    errors: list[str] = field(default_factory=list)

    def note(self, what: str) -> None:
        self.timeline.append((round(time.monotonic() - self.started, 1), what))
        print(f"  t={time.monotonic() - self.started:6.1f}s  {what}", flush=True)


def create_orders(market: Any, store: str, count: int, rate: float, run: Run) -> None:
    for n in range(count):
        wait = run.started + n / rate - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        for _ in range(20):  # the market's control API is not under test: retry its rare hiccups
            try:
                run.created.append(market.create_ticket(store)["ticket_id"])
                break
            except OSError as exc:
                run.errors.append(f"create_ticket: {exc}")
                time.sleep(0.5)
    run.note(f"{len(run.created)} orders created")


def accepted_at_channel(market: Any, store: str) -> set[str]:
    return {e["ticket_id"] for e in market.log(store, kind="state") if e["payload"]["state"] == "CONFIRMED"}


def void_some(market: Any, store: str, run: Run) -> None:
    """The channel's side: every 4th order, once the channel has our "accepted", is voided there."""
    pending: set[str] = set()
    done: set[str] = set()
    while not run.stop.is_set():
        pending |= {t for i, t in enumerate(list(run.created)) if i % VOID_EVERY == VOID_EVERY - 1} - done
        if pending:
            with contextlib.suppress(OSError):
                for ticket_id in sorted(pending & accepted_at_channel(market, store)):
                    market.change_state(ticket_id, "VOIDED", reason="customer cancelled (chaos run)")
                    run.voided.append(ticket_id)
                    done.add(ticket_id)
                    pending.discard(ticket_id)
        run.stop.wait(1.0)


def outage(market: Any, store: str, seconds: float, run: Run) -> None:
    """Every API call of the store answers 500 for ``seconds``; webhook faults stay armed."""
    market.add_fault(store_ref=store, kind="http_500", count=100000)
    run.note(f"market outage begins ({seconds:g} s of HTTP 500 on every API call)")
    run.stop.wait(seconds)
    kept = [f for f in market.request("GET", "/_control/faults").body["faults"] if f["kind"] != "http_500"]
    market.clear_faults()
    for fault in kept:
        market.add_fault(store_ref=fault["store_ref"], kind=fault["kind"], count=fault["remaining"])
    run.note("market outage ends")


def arm_webhook_faults(market: Any, store: str, orders: int) -> None:
    market.add_fault(store_ref=store, kind="webhook_duplicate", count=max(5, orders // 10))
    market.add_fault(store_ref=store, kind="webhook_reorder", count=max(3, orders // 25))


def at(run: Run, seconds: float, action: Callable[[], None], what: str) -> threading.Thread:
    def go() -> None:
        if run.stop.wait(max(0.0, run.started + seconds - time.monotonic())):
            return
        try:
            action()
        except Exception as exc:
            run.errors.append(f"{what}: {type(exc).__name__}: {exc}")
            run.note(f"{what} FAILED: {exc}")

    thread = threading.Thread(target=go, daemon=True, name=what)
    thread.start()
    return thread


# -- the count --------------------------------------------------------------------------------------------------------
def unsettled(market: Any, store: str, run: Run, connection_id: int) -> Counter[str]:
    """Tickets whose order is missing here or whose status differs from the channel's, by (channel, ours)."""
    from integrations.channels.sandbox_market.vocabulary import ORDER_STATUSES
    from orders.models import Order

    ours = dict(Order.objects.filter(connection_id=connection_id, channel_order_id__in=run.created)
                .values_list("channel_order_id", "status"))
    confirmed = accepted_at_channel(market, store)
    voided = set(run.voided)
    differences: Counter[str] = Counter()
    for ticket_id in run.created:
        channel_state = "VOIDED" if ticket_id in voided else ("CONFIRMED" if ticket_id in confirmed else "NEW")
        if channel_state == "NEW" or str(ORDER_STATUSES.to_canonical(channel_state).value) != ours.get(ticket_id):
            differences[f"channel {channel_state} / ours {ours.get(ticket_id, 'missing')}"] += 1
    return differences


def settled(market: Any, store: str, run: Run, connection_id: int) -> bool:
    """Every ticket is an order here, and every order's status matches the channel's state."""
    return bool(run.created) and not unsettled(market, store, run, connection_id)


def count(market: Any, store: str, run: Run, connection_id: int) -> dict[str, Any]:
    """Both sides' records, compared. ``problems`` lists every loss or double; empty means the target is met."""
    from django.db.models import Count

    from integrations.models import SyncJob, WebhookEvent
    from orders.models import Order, OrderStatus, StatusChange

    created = set(run.created)
    orders = Order.objects.filter(connection_id=connection_id, channel_order_id__in=created)
    per_ticket = Counter(orders.values_list("channel_order_id", flat=True))
    deliveries = [d for d in market.webhooks(store) if d["ticket_id"] in created]
    delivered_ids = {d["event_id"] for d in deliveries if d["status"] == "delivered"}
    events = WebhookEvent.objects.filter(connection_id=connection_id)
    stored_ids = Counter(key.removeprefix("event:") for key in events.values_list("dedup_key", flat=True))
    unfinished_events = events.exclude(state__in=("processed", "ignored")).count()
    state_log = [e for e in market.log(store, kind="state") if e["ticket_id"] in created]
    confirmed_calls = Counter(e["ticket_id"] for e in state_log if e["payload"]["state"] == "CONFIRMED")
    applied_confirms = Counter(e["ticket_id"] for e in state_log if e["payload"]["state"] == "CONFIRMED"
                               and not e["payload"].get("unchanged"))
    jobs = SyncJob.objects.filter(connection_id=connection_id, order__channel_order_id__in=created)
    job_states = dict(jobs.values_list("state").annotate(n=Count("id")))
    changes = (StatusChange.objects.filter(order__in=orders, applied=True)
               .values("order_id", "to_status").annotate(n=Count("id")).filter(n__gt=1))
    cancelled = orders.filter(status=OrderStatus.CANCELLED).values_list("channel_order_id", flat=True)
    figures = {
        "orders_in_channel": len(created),
        "orders_in_our_db": sum(per_ticket.values()),
        "orders_missing": len(created - set(per_ticket)),
        "orders_doubled": sum(1 for n in per_ticket.values() if n > 1),
        "webhooks_delivered": len(delivered_ids),
        "webhook_deliveries_incl_duplicates_and_retries": sum(len(d["attempts"]) for d in deliveries),
        "duplicate_deliveries_by_fault": sum(1 for d in deliveries if d["note"] == "duplicate by fault"),
        "webhook_events_stored": sum(stored_ids.values()),
        "webhook_events_missing": len(delivered_ids - set(stored_ids)),
        "webhook_events_doubled": sum(1 for n in stored_ids.values() if n > 1),
        "webhook_events_unfinished": unfinished_events,
        "accepts_sent_ok": job_states.get("succeeded", 0),
        "accept_jobs": job_states,
        "accepts_received_by_channel": len(applied_confirms),
        "accepts_missing_at_channel": len(created - set(confirmed_calls)),
        "accepts_applied_twice_at_channel": sum(1 for n in applied_confirms.values() if n > 1),
        "accept_calls_repeated_idempotently": sum(n - 1 for n in confirmed_calls.values() if n > 1),
        "channel_voids_sent": len(run.voided),
        "channel_voids_applied_here": len(set(run.voided) & set(cancelled)),
        "status_changes_doubled": changes.count(),
    }
    problems = []
    for key in ("orders_missing", "orders_doubled", "webhook_events_missing", "webhook_events_doubled",
                "webhook_events_unfinished", "accepts_missing_at_channel", "accepts_applied_twice_at_channel",
                "status_changes_doubled"):
        if figures[key]:
            problems.append(f"{key}: {figures[key]}")
    if figures["channel_voids_applied_here"] != figures["channel_voids_sent"]:
        problems.append(f"voids: channel sent {figures['channel_voids_sent']}, "
                        f"applied here {figures['channel_voids_applied_here']}")
    if figures["orders_in_our_db"] != figures["orders_in_channel"]:
        problems.append(f"orders: channel {figures['orders_in_channel']}, ours {figures['orders_in_our_db']}")
    figures["problems"] = problems
    return figures


# -- the full run ----------------------------------------------------------------------------------------------------
@contextlib.contextmanager
def private_redis(port: int) -> Iterator[Callable[[float], None]]:
    """A Redis server of our own (the shared one must never be restarted); yields restart(down_seconds)."""
    from bench import common

    server = shutil.which("redis-server")
    if server is None:
        raise SystemExit("redis-server is needed for the chaos run (apt-get install redis-server)")
    args = [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--daemonize", "no"]
    holder: dict[str, common.Process] = {"redis": common.spawn("redis", args, ready="Ready to accept")}

    def restart(down_seconds: float) -> None:
        holder["redis"].kill()
        time.sleep(down_seconds)
        holder["redis"] = common.spawn("redis", args, ready="Ready to accept")

    try:
        yield restart
    finally:
        holder["redis"].kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--kill-every", type=float, default=15.0, help="SIGKILL a worker this often (seconds)")
    parser.add_argument("--outage", type=float, default=60.0, help="seconds of market outage")
    parser.add_argument("--outage-at", type=float, default=15.0)
    parser.add_argument("--redis-restart-at", type=float, default=52.0)
    parser.add_argument("--redis-down", type=float, default=5.0)
    parser.add_argument("--settle-timeout", type=float, default=300.0)
    args = parser.parse_args()

    from bench import common

    redis_port = common.free_port()
    common.configure(CELERY_BROKER_URL=f"redis://127.0.0.1:{redis_port}/0",
                     CACHE_URL=f"rediscache://127.0.0.1:{redis_port}/1", **CHAOS_ENV)
    common.setup_django()
    print("resetting the bench database ...", flush=True)
    common.reset_database()

    port = common.free_port()
    run = Run()
    kills = 0
    with private_redis(redis_port) as restart_redis, common.sandbox_market(backoff_scale=0.5) as market:
        demo = common.connect_demo_restaurant(market.url, f"http://127.0.0.1:{port}")
        store, connection_id = demo.connection.store_id, demo.connection.pk
        processes = [common.start_gunicorn(port)]
        workers: list[common.Process] = []
        try:
            processes.append(common.start_beat())
            workers += [common.start_worker(f"worker{n}") for n in range(args.workers)]
            arm_webhook_faults(market, store, args.orders)
            run = Run()
            print(f"chaos run: {args.orders} orders at {args.rate:g}/s", flush=True)
            threads = [
                threading.Thread(target=create_orders, args=(market, store, args.orders, args.rate, run)),
                threading.Thread(target=void_some, args=(market, store, run), daemon=True),
                at(run, args.outage_at, lambda: outage(market, store, args.outage, run), "outage"),
                at(run, args.redis_restart_at, lambda: (run.note("Redis killed"), restart_redis(args.redis_down),
                                                        run.note("Redis restarted")), "redis restart"),
            ]
            threads[0].start()
            threads[1].start()
            produce_until = args.orders / args.rate
            next_kill = args.kill_every
            while threads[0].is_alive() or time.monotonic() - run.started < args.outage_at + args.outage:
                time.sleep(0.2)
                if time.monotonic() - run.started >= next_kill and next_kill < produce_until + args.outage:
                    victim = workers.pop(kills % len(workers))
                    victim.kill()
                    kills += 1
                    run.note(f"worker {victim.name} SIGKILLed (kill {kills})")
                    workers.append(common.start_worker(f"worker-r{kills}"))
                    next_kill += args.kill_every
            run.note("chaos over; waiting for the platform to settle")
            ok = common.wait_until(lambda: settled(market, store, run, connection_id), timeout=args.settle_timeout,
                                   interval=2.0)
            run.note("settled" if ok else "NOT settled within the timeout")
            time.sleep(3)  # a last duplicate or retry in flight
            run.stop.set()
            figures = count(market, store, run, connection_id)
        finally:
            run.stop.set()
            for process in reversed([*processes, *workers]):
                process.stop()

    figures.update({"worker_kills": kills, "redis_restarts": 1, "outage_seconds": args.outage,
                    "settle_seconds": round(time.monotonic() - run.started, 1)})
    rows = [[key.replace("_", " "), value] for key, value in figures.items() if key not in ("problems", "accept_jobs")]
    rows.append(["accept jobs by state", figures["accept_jobs"]])
    verdict = "nothing lost, nothing doubled" if not figures["problems"] else "; ".join(figures["problems"])
    markdown = (
        f"### Chaos run: {args.orders} orders at {args.rate:g}/s, {kills} worker SIGKILLs, Redis restarted once, "
        f"{args.outage:g} s market outage, duplicated and reordered webhooks\n\n"
        + common.table(["count", "value"], rows)
        + f"\n\nResult: **{verdict}**.\n\nTimeline: "
        + "; ".join(f"{t:g}s {what}" for t, what in run.timeline)
    )
    common.write_results("chaos", {"bench": "chaos", "figures": figures, "timeline": run.timeline,
                                   "errors": run.errors[:50], "args": vars(args)}, markdown)
    if figures["problems"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
