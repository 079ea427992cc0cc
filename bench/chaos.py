"""The chaos run: the end-to-end order flow while things break, then a count of what arrived where.

    .venv/bin/python bench/chaos.py [--orders 1000] [--rate 10]

Orders are created in the Sandbox Market at a steady rate and auto-accepted
by the platform; the channel itself voids every 4th order once it is
accepted (a status change on the channel's side, sent to us by webhook).
Meanwhile, each fault on its own:

- **workers SIGKILLed mid-work** (``--kill-at``), on the Procfile's topology
  (``inbound`` and ``outbound`` workers, ``--workers`` of each): an outbound worker
  inside an accept call (the market stalls the call; its attempt row shows it
  in flight), an inbound worker while events are processed. A new one is started
  in its place, as the supervisor (``scripts/supervise.py``, systemd) would;
  nothing else ever restarts a worker.
- **the broker killed while workers hold countdowns** (``--redis-restart-at``):
  a few seconds before, the market answers calls with 429 and a Retry-After,
  so the workers hold the jobs' retries as countdown tasks; then the private
  Redis (broker and cache) is SIGKILLed and restarted after ``--redis-down``.
- **a market outage** (``--outage``: every API call a 500), and duplicated and
  reordered webhooks throughout.

The judge waits until the channel has done all it will (every void sent),
then until both sides agree, then until nothing is in flight (no webhook at
the market, no event or job unfinished here), each with a deadline, and
counts, from the market's records and ours: orders in the channel vs in our
database, status updates we sent vs the channel received, webhook events
delivered vs stored, any duplicate effect, and per order the delay from its
creation to our "accepted" reaching the channel. Target: nothing lost, nothing
doubled, nothing applied twice, every accept within 60 s of its order.

The full run uses its own Redis server on a free port (never the shared one)
and the bench PostgreSQL database. ``tests/chaos/`` runs the same scenario
small (100 orders, one kill, a 5 s outage) in CI.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import socket
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

VOID_EVERY = 4  # the channel voids every 4th order once accepted
ACCEPT_WITHIN_SECONDS = 60.0  # the target: our "accepted" at the channel this soon after the order
# Retries shorter than production, so an outage's backlog clears within the run. What a killed worker held is
# rescued by production's own leases (OUTBOUND_LEASE_SECONDS, WEBHOOK_LEASE_SECONDS: 15 s) and beat's sweeps.
CHAOS_ENV = {
    "OUTBOUND_BACKOFF_BASE_SECONDS": "2",
    "OUTBOUND_BACKOFF_MAX_SECONDS": "20",
    "OUTBOUND_CIRCUIT_OPEN_SECONDS": "5",
    "OUTBOUND_LANE_WAIT_SECONDS": "1",
    "WEBHOOK_SWEEP_AFTER_SECONDS": "10",
    "CHANNEL_READ_TIMEOUT": "5",
}
STALL_SECONDS = 4.0  # a stalled call (the mid-call kill's fault): shorter than CHANNEL_READ_TIMEOUT


# -- the scenario ---------------------------------------------------------------------------------------------------
@dataclass
class Run:
    """What happened during a run: tickets created, tickets the channel voided, the chaos timeline."""

    created: list[str] = field(default_factory=list)
    created_at: dict[str, float] = field(default_factory=dict)  # ticket -> epoch seconds, the market's own clock
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
                ticket = market.create_ticket(store)
                run.created_at[ticket["ticket_id"]] = epoch(ticket.get("created_at")) or time.time()
                run.created.append(ticket["ticket_id"])
                break
            except OSError as exc:
                run.errors.append(f"create_ticket: {exc}")
                time.sleep(0.5)
    run.note(f"{len(run.created)} orders created")


def epoch(iso: str | None) -> float | None:
    """The market's ISO-8601 UTC timestamps (``…Z``) as epoch seconds."""
    if not iso:
        return None
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


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


def clear_faults_of(market: Any, kind: str) -> None:
    """Disarm what is left of one kind of fault, keeping the others."""
    kept = [f for f in market.request("GET", "/_control/faults").body["faults"] if f["kind"] != kind]
    market.clear_faults()
    for fault in kept:
        market.add_fault(store_ref=fault["store_ref"], kind=fault["kind"], count=fault["remaining"],
                         **({"retry_after": fault["retry_after"]} if fault.get("retry_after") else {}),
                         **({"delay": fault["delay"]} if fault.get("delay") else {}))


def remaining(market: Any, kind: str) -> int:
    return sum(f["remaining"] for f in market.request("GET", "/_control/faults").body["faults"] if f["kind"] == kind)


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


def start_worker(name: str, queues: list[str], threads: int, timeout: float = 60.0) -> Any:
    """A worker on ``queues`` as the Procfile runs them (``inbound``; ``outbound_urgent,celery``), thread pool;
    returns once it answers a ping. (``bench.common.start_worker`` takes every queue.)"""
    from bench import common
    from sinqro_platform.celery import app

    node = f"{name}-{uuid.uuid4().hex[:6]}@{socket.gethostname()}"
    process = common.spawn(name, [common.PY, "-m", "celery", "-A", "sinqro_platform", "worker", "-P", "threads",
                                  "-c", str(threads), "-Q", ",".join(queues), "--without-gossip", "--without-mingle",
                                  "--without-heartbeat", "-l", "warning", "-n", node])
    deadline = time.monotonic() + timeout
    while True:
        with contextlib.suppress(Exception):  # the broker may be away a moment (the run restarts it)
            if app.control.ping(destination=[node], timeout=0.5):
                return process
        if not process.alive() or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"worker {name} did not start:\n" + process.text()[-4000:])
        time.sleep(0.2)


def calls_in_flight(connection_id: int, within: float) -> list[int]:
    """Attempts begun in the last ``within`` seconds whose call has not ended (their row still says so)."""
    from datetime import timedelta

    from django.utils import timezone

    from integrations.models import SyncAttempt
    from integrations.outbound.runner import INTERRUPTED

    return list(SyncAttempt.objects.filter(job__connection_id=connection_id, error=INTERRUPTED,
                                           started_at__gt=timezone.now() - timedelta(seconds=within))
                .values_list("pk", flat=True))


def kill_outbound_mid_call(market: Any, store: str, connection_id: int, victim: Any, run: Run) -> dict[str, Any]:
    """SIGKILL an outbound worker while accept calls hang at the market (stalled ``STALL_SECONDS``).

    Which calls were the victim's shows afterwards: an attempt row still open ``STALL_SECONDS`` after the kill
    belonged to a dead worker (a live one closes it when the stall ends); ``killed_calls`` counts them.
    """
    market.add_fault(store_ref=store, kind="timeout", count=6, delay=STALL_SECONDS)
    in_flight: list[int] = []
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and len(in_flight := calls_in_flight(connection_id, STALL_SECONDS - 1)) < 3:
        time.sleep(0.05)
    victim.kill()
    run.note(f"outbound worker {victim.name} SIGKILLed ({len(in_flight)} accept call(s) in flight)")
    clear_faults_of(market, "timeout")
    return {"worker": victim.name, "at": round(time.monotonic() - run.started, 1), "attempts_in_flight": in_flight}


def kill_inbound_mid_event(connection_id: int, victim: Any, run: Run) -> dict[str, Any]:
    """SIGKILL an inbound worker while events are being processed (the victim's leases then run out)."""
    from integrations.models import WebhookEvent

    held: list[int] = []
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and len(held := list(WebhookEvent.objects.filter(
            connection_id=connection_id, state=WebhookEvent.State.PROCESSING).values_list("pk", flat=True))) < 2:
        time.sleep(0.02)
    victim.kill()
    run.note(f"inbound worker {victim.name} SIGKILLed ({len(held)} event(s) being processed)")
    return {"worker": victim.name, "at": round(time.monotonic() - run.started, 1), "events_in_flight": held}


def what_the_kills_hit(kills: list[dict[str, Any]], delays: dict[str, float]) -> dict[str, Any]:
    """After the run: the accept calls that died with their worker (how soon each job ran again, how late its
    accept reached the channel), and the events processed again after an inbound kill."""
    from integrations.models import SyncAttempt, WebhookEvent
    from integrations.outbound.runner import INTERRUPTED

    attempts = [pk for k in kills for pk in k.get("attempts_in_flight", [])]
    events = [pk for k in kills for pk in k.get("events_in_flight", [])]
    killed = SyncAttempt.objects.filter(pk__in=attempts, error=INTERRUPTED).select_related("job__order")
    again, late = [], []
    for attempt in killed:
        following = attempt.job.attempt_rows.filter(number__gt=attempt.number).order_by("number").first()
        if following is not None:
            again.append(round((following.started_at - attempt.started_at).total_seconds(), 1))
        late.append(round(delays.get(attempt.job.order.channel_order_id, float("nan")), 1))
    return {
        "accept_calls_killed_mid_call": len(late),
        "killed_calls_run_again_after_s": again,
        "killed_calls_accept_delay_s": late,
        "events_taken_again_after_an_inbound_kill": WebhookEvent.objects.filter(pk__in=events, attempts__gt=1).count(),
    }


def countdowns_held(connection_id: int) -> int:
    """Jobs waiting for a retry or a lane wait short enough to be a countdown in a worker's hands."""
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone

    from integrations.models import SyncJob

    now = timezone.now()
    return SyncJob.objects.filter(
        connection_id=connection_id, state=SyncJob.State.PENDING, next_attempt_at__gt=now,
        next_attempt_at__lte=now + timedelta(seconds=settings.OUTBOUND_COUNTDOWN_MAX_SECONDS),
    ).count()


def broker_kill(market: Any, store: str, connection_id: int, restart: Callable[[float], None], down: float,
                run: Run, held: dict[str, int]) -> None:
    """Workers hold countdowns (429s with a Retry-After, a few seconds before), then the broker dies and returns."""
    market.add_fault(store_ref=store, kind="http_429", count=15, retry_after=8)
    run.note("market answers the next 15 calls 429 (Retry-After 8 s): the retries wait as countdowns")
    run.stop.wait(3)
    held["countdowns_held_at_the_kill"] = countdowns_held(connection_id)
    run.note(f"Redis killed ({held['countdowns_held_at_the_kill']} jobs waiting on a countdown)")
    restart(down)
    run.note("Redis restarted")
    clear_faults_of(market, "http_429")


# -- the count --------------------------------------------------------------------------------------------------------
def channel_done(run: Run, orders: int) -> bool:
    """The channel has done all it will: every order created, every 4th one voided."""
    return len(run.created) == orders and len(run.voided) == orders // VOID_EVERY


def quiet(market: Any, store: str, connection_id: int) -> bool:
    """Nothing in flight: no webhook waiting at the market (pending, held by a fault), no event or job here."""
    from integrations.models import SyncJob, WebhookEvent

    in_flight = [d for d in market.webhooks(store) if d["status"] in ("pending", "held")]
    return not in_flight and not (
        WebhookEvent.objects.filter(connection_id=connection_id).exclude(state__in=("processed", "ignored")).exists()
        or SyncJob.objects.filter(connection_id=connection_id, state__in=("pending", "running")).exists()
    )


def accept_delays(market: Any, store: str, run: Run) -> dict[str, float]:
    """Per order: seconds from its creation to our first "accepted" the channel applied (both the market's clock)."""
    first: dict[str, float] = {}
    for entry in market.log(store, kind="state"):
        ticket_id = entry["ticket_id"]
        if entry["payload"]["state"] != "CONFIRMED" or entry["payload"].get("unchanged") or ticket_id in first:
            continue
        if ticket_id in run.created_at and (at := epoch(entry.get("at"))) is not None:
            first[ticket_id] = at - run.created_at[ticket_id]
    return first


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

    from integrations.models import SyncAttempt, SyncJob, WebhookEvent
    from integrations.outbound.runner import INTERRUPTED
    from orders.models import Order, OrderStatus, StatusChange

    created = set(run.created)
    orders = Order.objects.filter(connection_id=connection_id, channel_order_id__in=created)
    per_ticket = Counter(orders.values_list("channel_order_id", flat=True))
    deliveries = [d for d in market.webhooks(store) if d["ticket_id"] in created]
    delivered_ids = {d["event_id"] for d in deliveries if d["status"] == "delivered"}
    given_up = [d for d in deliveries if d["status"] == "failed"]  # the market's 6 attempts all failed
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
        "webhook_deliveries_given_up_by_the_channel": len(given_up),
        "webhook_deliveries_retried_by_the_channel": sum(1 for d in deliveries if len(d["attempts"]) > 1),
        "webhook_delivery_most_attempts": max((len(d["attempts"]) for d in deliveries), default=0),
        "webhook_events_processed_more_than_once": events.filter(attempts__gt=1).count(),
        "accepts_sent_ok": job_states.get("succeeded", 0),
        "accept_jobs": job_states,
        "accepts_received_by_channel": len(applied_confirms),
        "accepts_missing_at_channel": len(created - set(confirmed_calls)),
        "accepts_applied_twice_at_channel": sum(1 for n in applied_confirms.values() if n > 1),
        "accept_calls_repeated_idempotently": sum(n - 1 for n in confirmed_calls.values() if n > 1),
        "channel_calls_interrupted_by_a_kill": SyncAttempt.objects.filter(
            job__connection_id=connection_id, error=INTERRUPTED).count(),
        "channel_voids_sent": len(run.voided),
        "channel_voids_applied_here": len(set(run.voided) & set(cancelled)),
        "status_changes_doubled": changes.count(),
    }
    problems = []
    for key in ("orders_missing", "orders_doubled", "webhook_events_missing", "webhook_events_doubled",
                "webhook_events_unfinished", "webhook_deliveries_given_up_by_the_channel",
                "accepts_missing_at_channel", "accepts_applied_twice_at_channel", "status_changes_doubled"):
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


def accepts_per_10_s(delays: dict[str, float], run: Run) -> list[int]:
    """How many accepts reached the channel in each 10 s of the run (where a stall shows)."""
    start = min(run.created_at.values(), default=0.0)
    buckets: Counter[int] = Counter(int((run.created_at[t] + d - start) // 10) for t, d in delays.items())
    return [buckets.get(n, 0) for n in range(max(buckets, default=-1) + 1)]


def progress(market: Any, store: str, connection_id: int, run: Run, every: float = 10.0) -> None:
    """A line every ``every`` seconds: orders created, accepted at the channel, what waits here."""
    from django.db import connection as db

    from integrations.models import SyncJob, WebhookEvent

    try:
        while not run.stop.wait(every):
            with contextlib.suppress(Exception):  # a look, never a reason to stop the run
                events = WebhookEvent.objects.filter(connection_id=connection_id)
                jobs = SyncJob.objects.filter(connection_id=connection_id)
                run.note(f"progress: {len(run.created)} created, {len(accepted_at_channel(market, store))} accepted "
                         f"at the channel; events received {events.filter(state='received').count()}, processing "
                         f"{events.filter(state='processing').count()}; jobs pending "
                         f"{jobs.filter(state='pending').count()}, running {jobs.filter(state='running').count()}")
    finally:
        db.close()


def keep_logs(processes: list[Any]) -> None:
    """Every process's output (killed ones included) beside the results, for a run that went wrong."""
    from bench.common import RESULTS

    folder = RESULTS / "chaos-logs"
    folder.mkdir(parents=True, exist_ok=True)
    for process in processes:
        (folder / f"{process.name}.log").write_text(process.text()[-200_000:])


def accept_figures(delays: dict[str, float], orders: int) -> dict[str, Any]:
    from bench import common

    values = list(delays.values())
    return {
        "accept_delay_p50_s": round(common.percentile(values, 50), 2),
        "accept_delay_p95_s": round(common.percentile(values, 95), 2),
        "accept_delay_max_s": round(max(values, default=float("nan")), 2),
        "accepts_over_60_s": sum(1 for v in values if v > ACCEPT_WITHIN_SECONDS),
        "accepts_without_a_delay": orders - len(values),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=10.0)
    parser.add_argument("--threads", type=int, default=4, help="threads of each worker")
    parser.add_argument("--workers", type=int, default=2, help="inbound workers, and as many outbound workers")
    parser.add_argument("--kill-at", default="35:outbound,62:inbound,80:outbound",
                        help="seconds:worker at which a worker is SIGKILLed mid-call (outbound) or mid-event (inbound)")
    parser.add_argument("--outage", type=float, default=20.0, help="seconds of market outage")
    parser.add_argument("--outage-at", type=float, default=10.0)
    parser.add_argument("--redis-restart-at", type=float, default=50.0)
    parser.add_argument("--redis-down", type=float, default=5.0)
    parser.add_argument("--settle-timeout", type=float, default=300.0)
    args = parser.parse_args()
    kill_at = [(float(when), role) for when, role in (item.split(":") for item in args.kill_at.split(",") if item)]

    from bench import common

    redis_port = common.free_port()
    common.configure(CELERY_BROKER_URL=f"redis://127.0.0.1:{redis_port}/0",
                     CACHE_URL=f"rediscache://127.0.0.1:{redis_port}/1", **CHAOS_ENV)
    common.setup_django()
    print("resetting the bench database ...", flush=True)
    common.reset_database()

    port = common.free_port()
    run = Run()
    kills: list[dict[str, Any]] = []
    held: dict[str, int] = {}
    with private_redis(redis_port) as restart_redis, common.sandbox_market(backoff_scale=0.5) as market:
        demo = common.connect_demo_restaurant(market.url, f"http://127.0.0.1:{port}")
        store, connection_id = demo.connection.store_id, demo.connection.pk
        processes = [common.start_gunicorn(port)]
        workers: dict[str, list[common.Process]] = {}
        every_worker: list[common.Process] = []
        queues = {"inbound": ["inbound"], "outbound": ["outbound_urgent", "celery"]}  # the Procfile's workers

        def new_worker(name: str) -> common.Process:
            worker = start_worker(name, queues[name.split("-")[0]], args.threads)
            every_worker.append(worker)
            return worker

        try:
            processes.append(common.start_beat())
            workers.update({role: [new_worker(f"{role}-{n}") for n in range(args.workers)] for role in queues})
            arm_webhook_faults(market, store, args.orders)
            run = Run()
            print(f"chaos run: {args.orders} orders at {args.rate:g}/s", flush=True)
            producer = threading.Thread(target=create_orders, args=(market, store, args.orders, args.rate, run))
            voider = threading.Thread(target=void_some, args=(market, store, run), daemon=True)
            producer.start()
            voider.start()
            threading.Thread(target=progress, args=(market, store, connection_id, run), daemon=True).start()
            faults = [
                at(run, args.outage_at, lambda: outage(market, store, args.outage, run), "outage"),
                at(run, args.redis_restart_at,
                   lambda: broker_kill(market, store, connection_id, restart_redis, args.redis_down, run, held),
                   "broker kill"),
            ]
            for n, (seconds, role) in enumerate(kill_at):  # one at a time, in the main thread: it owns the workers
                while time.monotonic() - run.started < seconds:
                    time.sleep(0.1)
                victim = workers[role].pop(n % len(workers[role]))
                if role == "outbound":
                    kills.append(kill_outbound_mid_call(market, store, connection_id, victim, run))
                else:
                    kills.append(kill_inbound_mid_event(connection_id, victim, run))
                workers[role].append(new_worker(f"{role}-r{n}"))  # the supervisor's restart
                run.note(f"{role} worker {workers[role][-1].name} started in place of {victim.name}")
            producer.join()
            for fault in faults:
                fault.join()
            run.note("chaos over; waiting for the channel to finish (every void sent)")
            common.wait_until(lambda: channel_done(run, args.orders), timeout=args.settle_timeout, interval=1.0)
            run.stop.set()
            voider.join(timeout=10)
            ok = common.wait_until(lambda: settled(market, store, run, connection_id), timeout=args.settle_timeout,
                                   interval=2.0)
            run.note("both sides agree" if ok else "NOT settled within the timeout")
            # Not a fixed pause: a late duplicate or retry still in flight must be over before the count.
            calm = common.wait_until(lambda: quiet(market, store, connection_id), timeout=120, interval=1.0)
            run.note("nothing in flight" if calm else "still something in flight after 120 s (counted below)")
            settled_at = round(time.monotonic() - run.started, 1)
            figures = count(market, store, run, connection_id)
            delays = accept_delays(market, store, run)
            figures.update(accept_figures(delays, args.orders))
            figures["accepts_per_10_s_of_the_run"] = accepts_per_10_s(delays, run)
            figures.update(what_the_kills_hit(kills, delays))
        finally:
            run.stop.set()
            for process in reversed([*processes, *(w for role in workers.values() for w in role)]):
                process.stop()
            keep_logs([*processes, *every_worker])

    if figures["accepts_over_60_s"]:
        figures["problems"].append(f"accepts over {ACCEPT_WITHIN_SECONDS:g} s: {figures['accepts_over_60_s']}")
    figures.update({
        "outbound_worker_kills": sum(1 for k in kills if "attempts_in_flight" in k),
        "inbound_worker_kills": sum(1 for k in kills if "events_in_flight" in k),
        "periodic_worker_restarts": 0,
        "redis_restarts": 1,
        **held,
        "outage_seconds": args.outage,
        "settled_at_s": settled_at,
        "settled_after_last_order_s": round(settled_at - args.orders / args.rate, 1),
    })
    rows = [[key.replace("_", " "), value] for key, value in figures.items() if key not in ("problems", "accept_jobs")]
    rows.append(["accept jobs by state", figures["accept_jobs"]])
    met = "nothing lost, nothing doubled, nothing applied twice, every accept within 60 s"
    verdict = "; ".join(figures["problems"]) or met
    command = " ".join([".venv/bin/python", "bench/chaos.py", *sys.argv[1:]])
    markdown = (
        f"### Chaos run: {args.orders} orders at {args.rate:g}/s, {len(kills)} workers SIGKILLed mid-work, Redis "
        f"killed once while workers held countdowns, {args.outage:g} s market outage, duplicated and reordered "
        "webhooks, no periodic worker restarts\n\n"
        + common.table(["count", "value"], rows)
        + f"\n\nResult: **{verdict}**.\n\nCommand: `{command}`"
        + "\n\nTimeline: " + "; ".join(f"{t:g}s {what}" for t, what in run.timeline)
    )
    common.write_results("chaos", {"bench": "chaos", "figures": figures, "kills": kills, "timeline": run.timeline,
                                   "errors": run.errors[:50], "args": vars(args)}, markdown)
    if figures["problems"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
