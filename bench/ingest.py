"""Bench 1, webhook ingest: signed Sandbox Market webhooks at 50 concurrent connections, ours vs the floor.

    .venv/bin/python bench/ingest.py [--seconds 20] [--connections 50] [--profile]

gunicorn (4 sync workers, persistent connections) on PostgreSQL + Redis. The
same load goes to the *stack's floor* ``/stack-floor/<token>/`` (a minimal
Django app on its own gunicorn: only CommonMiddleware, one ORM insert; what
Django, gunicorn and PostgreSQL cost here before any of ours), to
``/floor/<token>/`` (the platform with all its middleware, inserting the raw
body, nothing else; bench settings only) and to ``/webhooks/<token>/`` (connection lookup,
signature and timestamp check, dedup key, insert, enqueue on Redis). Every
body is a full ``ticket.created`` event with its own ``event_id``, signed
beforehand so the client does no crypto during the run. The load generator is
``wrk`` when installed (``apt-get install wrk``), else a Python thread client;
its CPU time is reported. No Celery worker runs during the measurement: the
events queue up in Redis (the figure is the request path, not processing,
which would take CPU from the web workers on a 2-core machine).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import hmac
import http.client
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common
from bench.common import cpu

LUA = r"""
local lines = {}
local counter = 0
local threads = {}
local path_prefix = os.getenv("BENCH_PATH_PREFIX")
local pause_ms = tonumber(os.getenv("BENCH_PAUSE_MS") or "0")

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  local n = 0
  for line in io.lines(os.getenv("BENCH_REQUESTS")) do
    n = n + 1
    lines[n] = line
  end
  total = n
  step = tonumber(os.getenv("BENCH_THREADS"))
  index = id - 1 + tonumber(os.getenv("BENCH_OFFSET") or "0")
  statuses = {}
  sent = 0
end

function request()
  local line = lines[(index % total) + 1]
  index = index + step
  sent = sent + 1
  local ts, sig, body = line:match("^([^\t]*)\t([^\t]*)\t(.*)$")
  return wrk.format("POST", path_prefix, {
    ["Content-Type"] = "application/json",
    ["X-Market-Timestamp"] = ts,
    ["X-Market-Signature"] = sig,
  }, body)
end

function delay()
  return pause_ms
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    local s = thread:get("statuses")
    for code, n in pairs(s) do counts[tostring(code)] = (counts[tostring(code)] or 0) + n end
  end
  local parts = {}
  for code, n in pairs(counts) do table.insert(parts, string.format('"%s": %d', code, n)) end
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "connect_errors": %d, "read_errors": %d, ' ..
    '"write_errors": %d, "timeouts": %d, "non2xx": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "mean_us": %.1f, "statuses": {%s}}\n',
    summary.requests, summary.duration, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.timeout, summary.errors.status, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, latency.mean, table.concat(parts, ", ")))
end
"""


def signed_lines(path: Path, body_template: dict, secret: str, count: int) -> None:
    """``count`` requests, each a distinct event: timestamp, signature, body (one per line, tab-separated)."""
    timestamp = str(int(time.time()))
    key = secret.encode()
    with path.open("w") as out:
        for n in range(count):
            event = {**body_template, "event_id": str(uuid.uuid4()), "ticket_id": f"SM-B{n:07d}"}
            body = json.dumps(event, separators=(",", ":"), ensure_ascii=False)
            digest = hmac.new(key, f"{timestamp}.".encode() + body.encode(), hashlib.sha256).hexdigest()
            out.write(f"{timestamp}\tv1={digest}\t{body}\n")


def run_wrk(url: str, requests_file: Path, seconds: int, connections: int, threads: int, pause_ms: int = 0,
            offset: int = 0) -> dict:
    """wrk, closed loop: every connection sends its next request when the answer comes (after ``pause_ms``)."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA)
    env = {"BENCH_REQUESTS": str(requests_file), "BENCH_THREADS": str(threads),
           "BENCH_PATH_PREFIX": urlsplit(url).path, "BENCH_PAUSE_MS": str(pause_ms),
           "BENCH_OFFSET": str(offset)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run(
        ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--timeout", "5s", "-s",
         script.name, url],
        capture_output=True, text=True, env={**os.environ, **env}, timeout=seconds + 120,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    Path(script.name).unlink()
    line = next((x for x in result.stdout.splitlines() if x.startswith("WRK_JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk failed:\n{result.stdout}\n{result.stderr}")
    data = json.loads(line[len("WRK_JSON "):])
    duration = data["duration_us"] / 1e6
    return {
        "client": "wrk",
        "requests": data["requests"],
        "seconds": round(duration, 2),
        "rps": data["requests"] / duration,
        "p50_ms": data["p50_us"] / 1000,
        "p90_ms": data["p90_us"] / 1000,
        "p99_ms": data["p99_us"] / 1000,
        "max_ms": data["max_us"] / 1000,
        "statuses": data["statuses"],
        "errors": data["connect_errors"] + data["read_errors"] + data["write_errors"] + data["timeouts"],
        "client_cpu_pct": 100 * _cpu(after) - 100 * _cpu(before),
    }


def _cpu(usage: resource.struct_rusage) -> float:
    return usage.ru_utime + usage.ru_stime


def run_python_client(url: str, requests_file: Path, seconds: int, connections: int) -> dict:
    """Fallback without wrk: one thread per connection, a new TCP connection per request (as gunicorn sync)."""
    lines = requests_file.read_text().splitlines()
    parts = urlsplit(url)
    host, port, path = parts.hostname, parts.port, parts.path
    latencies: list[float] = []
    statuses: Counter[str] = Counter()
    errors = [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    cpu_before = time.process_time()

    def client(offset: int) -> None:
        n = offset
        mine: list[float] = []
        codes: Counter[str] = Counter()
        while time.monotonic() < stop_at:
            ts, sig, body = lines[n % len(lines)].split("\t", 2)
            n += connections
            started = time.perf_counter()
            try:
                conn = http.client.HTTPConnection(host, port, timeout=5)
                conn.request("POST", path, body.encode(), {"Content-Type": "application/json",
                                                           "X-Market-Timestamp": ts, "X-Market-Signature": sig})
                response = conn.getresponse()
                response.read()
                conn.close()
                codes[str(response.status)] += 1
                mine.append(time.perf_counter() - started)
            except OSError:
                with lock:
                    errors[0] += 1
        with lock:
            latencies.extend(mine)
            statuses.update(codes)

    started = time.monotonic()
    workers = [threading.Thread(target=client, args=(i,)) for i in range(connections)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    duration = time.monotonic() - started
    ms = [x * 1000 for x in latencies]
    return {
        "client": "python threads",
        "requests": len(ms),
        "seconds": round(duration, 2),
        "rps": len(ms) / duration,
        "p50_ms": common.percentile(ms, 50),
        "p90_ms": common.percentile(ms, 90),
        "p99_ms": common.percentile(ms, 99),
        "max_ms": max(ms, default=0.0),
        "statuses": dict(statuses),
        "errors": errors[0],
        "client_cpu_pct": 100 * (time.process_time() - cpu_before) / duration,
    }


def load(url: str, requests_file: Path, seconds: int, connections: int, pause_ms: int = 0, offset: int = 0) -> dict:
    """``offset``: where in the prepared events to start, so a later run does not resend (duplicates are cheaper)."""
    if shutil.which("wrk"):
        result = run_wrk(url, requests_file, seconds, connections, threads=2, pause_ms=pause_ms, offset=offset)
        result["client_cpu_pct"] = result["client_cpu_pct"] / result["seconds"]
        return result
    if pause_ms:
        raise SystemExit("the paced run needs wrk (apt-get install wrk)")
    return run_python_client(url, requests_file, seconds, connections)


def merged(rounds: list[dict]) -> dict:
    """Several runs of one endpoint as one: summed counts, the median round's latencies."""
    by_rps = sorted(rounds, key=lambda r: r["rps"])
    middle = by_rps[len(by_rps) // 2]
    statuses: Counter[str] = Counter()
    for r in rounds:
        statuses.update(r["statuses"])
    seconds = sum(r["seconds"] for r in rounds)
    requests = sum(r["requests"] for r in rounds)
    return {**middle, "requests": requests, "seconds": round(seconds, 2), "rps": requests / seconds,
            "statuses": dict(statuses), "errors": sum(r["errors"] for r in rounds),
            "client_cpu_pct": sum(r["client_cpu_pct"] for r in rounds) / len(rounds),
            "rounds_rps": [round(r["rps"], 1) for r in rounds]}


@contextlib.contextmanager
def profiling(gunicorn: common.Process, seconds: int, enabled: bool):
    """py-spy on every gunicorn worker while the load runs (flame graph + the hottest functions)."""
    if not enabled or (not shutil.which(str(common.BIN / "py-spy")) and not shutil.which("py-spy")):
        yield None
        return
    spy = shutil.which(str(common.BIN / "py-spy")) or "py-spy"
    out = common.RESULTS / "ingest-profile"
    common.RESULTS.mkdir(parents=True, exist_ok=True)
    # --gil: only samples holding the GIL, i.e. Python CPU time (waiting on PostgreSQL or Redis is not counted).
    args = ["--pid", str(gunicorn.pid), "--subprocesses", "--duration", str(seconds), "--rate", "200", "--nonblocking",
            "--gil"]
    raw = subprocess.Popen([spy, "record", *args, "--format", "raw", "-o", f"{out}.txt"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield out
    finally:
        raw.wait(timeout=seconds + 60)


def hottest(raw_path: Path, top: int = 15) -> list[tuple[str, float]]:
    """Inclusive share of samples per function (from py-spy's collapsed stacks), our code and Django's."""
    totals: Counter[str] = Counter()
    samples = 0
    for line in raw_path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        n = int(count)
        samples += n
        for frame in set(stack.split(";")):
            name = frame.split(" (")[0]
            where = frame.split(" (", 1)[1] if " (" in frame else ""
            if any(x in where for x in ("integrations/", "bench/", "django/db", "django/core/handlers",
                                        "psycopg", "kombu", "celery", "json", "hmac")):
                totals[f"{name} ({where.split(':')[0].rsplit('site-packages/', 1)[-1]})"] += n
    return [(name, 100 * n / samples) for name, n in totals.most_common(top)] if samples else []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=15, help="per round and endpoint")
    parser.add_argument("--rounds", type=int, default=3, help="floor and ours alternate; the ratio is the median")
    parser.add_argument("--paced-share", type=float, default=0.5,
                        help="then a paced run at this share of our measured throughput, for latency under load")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--web-workers", type=int, default=4)
    parser.add_argument("--requests", type=int, default=80000, help="distinct signed events prepared")
    parser.add_argument("--profile", action="store_true", help="py-spy the web workers during our run")
    args = parser.parse_args()

    common.configure()
    common.setup_django()
    print("resetting the bench database and Redis dbs ...", flush=True)
    common.reset_database()
    common.flush_redis()
    from bench.floor.models import FloorEvent
    from integrations.models import WebhookEvent

    port = common.free_port()
    with common.sandbox_market() as market:
        demo = common.connect_demo_restaurant(market.url, f"http://127.0.0.1:{port}")
        template = {"event_id": "", "event": "ticket.created", "store_ref": demo.connection.store_id,
                    "ticket_id": "", "occurred_at": "2026-11-27T12:00:00Z",
                    "ticket": market.create_ticket(demo.connection.store_id)}
    # The market is stopped: its own webhook for that ticket must not count; we rebuild the rows anyway.
    secret = demo.connection.credentials["webhook_secret"]
    token = demo.connection.webhook_token
    work = Path(tempfile.mkdtemp(prefix="bench_ingest_"))
    requests_file = work / "requests.tsv"
    started = time.monotonic()
    signed_lines(requests_file, template, secret, args.requests)
    print(f"signed {args.requests:,} distinct events in {time.monotonic() - started:.1f} s "
          f"({len(requests_file.read_bytes()) // args.requests} bytes each)", flush=True)

    gunicorn = common.start_gunicorn(port, workers=args.web_workers)
    # The stack's floor: a minimal Django app (CommonMiddleware, one insert) on its own gunicorn, same database.
    stack_port = common.free_port()
    stack_web = common.start_gunicorn(stack_port, workers=args.web_workers,
                                      app="bench.stack_floor.wsgi:application", ready_path="/stack-floor/warm/")
    base = f"http://127.0.0.1:{port}"
    bases = {"stack": f"http://127.0.0.1:{stack_port}", "floor": base, "ours": base}
    names = ("stack", "floor", "ours")
    results: dict[str, dict] = {}
    try:
        with common.running(gunicorn, stack_web):
            warm = work / "warm.tsv"
            signed_lines(warm, template, secret, 3000)
            paths = {"stack": f"/stack-floor/{token}/", "floor": f"/floor/{token}/", "ours": f"/webhooks/{token}/"}
            for name in names:
                load(bases[name] + paths[name], warm, 3, args.connections)
            WebhookEvent.objects.all().delete()
            FloorEvent.objects.all().delete()
            rounds: dict[str, list[dict]] = {name: [] for name in names}
            spent: dict[str, Counter[str]] = {name: Counter() for name in names}
            profile = None
            sent = dict.fromkeys(names, 0)
            for n in range(args.rounds):
                # Rotating which goes first, so none always meets a warmer (or busier) machine.
                for name in names[n % 3:] + names[:n % 3]:
                    print(f"round {n + 1}/{args.rounds}, {name}: {args.seconds} s at {args.connections} "
                          "connections ...", flush=True)
                    before = cpu.snapshot()
                    spy = profiling(gunicorn, args.seconds, args.profile and name == "ours" and n == 0)
                    with spy as spied:
                        rounds[name].append(load(bases[name] + paths[name], requests_file, args.seconds,
                                                 args.connections, offset=sent[name]))
                    sent[name] += rounds[name][-1]["requests"] + 1000  # wrk's two threads may overrun a little
                    profile = profile or spied
                    spent[name].update(cpu.spent(before, cpu.snapshot()))
            for name in names:
                results[name] = merged(rounds[name])
                results[name]["cpu_ms"] = cpu.per_request_ms(spent[name], results[name]["requests"])
            floor_rows = FloorEvent.objects.count()  # the two floors share the table: split by what each sent
            results["stack"]["rows"] = min(floor_rows, results["stack"]["requests"])
            results["floor"]["rows"] = floor_rows - results["stack"]["rows"]
            results["ours"]["rows"] = WebhookEvent.objects.count()
            ratios = [o["rps"] / f["rps"] for f, o in zip(rounds["floor"], rounds["ours"], strict=True)]
            stack_ratios = [o["rps"] / f["rps"] for f, o in zip(rounds["stack"], rounds["ours"], strict=True)]
            # Latency under a normal load: the same 50 connections, each pausing between requests so
            # that together they send about ``paced_share`` of what we just sustained.
            target = args.paced_share * results["ours"]["rps"]
            pause_ms = max(1, int(1000 * args.connections / target - results["ours"]["p50_ms"] / 2))
            print(f"paced: about {target:.0f} req/s ({args.connections} connections, {pause_ms} ms pause) ...",
                  flush=True)
            results["ours_paced"] = load(base + paths["ours"], requests_file, args.seconds, args.connections,
                                         pause_ms=pause_ms, offset=sent["ours"])
            sent["ours"] += results["ours_paced"]["requests"]
            if sent["ours"] > args.requests:
                print(f"WARNING: {sent['ours']:,} requests sent, {args.requests:,} prepared: some were duplicates "
                      "(raise --requests)", flush=True)
            results["ours_paced"]["rows"] = WebhookEvent.objects.count() - results["ours"]["rows"]
    finally:
        shutil.rmtree(work, ignore_errors=True)
        common.flush_redis()

    stack, floor, ours, paced = results["stack"], results["floor"], results["ours"], results["ours_paced"]
    ratio = sorted(ratios)[len(ratios) // 2]
    stack_ratio = sorted(stack_ratios)[len(stack_ratios) // 2]
    rows = []
    for name, r in (("stack floor (minimal Django app, one insert)", stack), ("floor (insert raw body)", floor),
                    ("ours: /webhooks/<token>/", ours), ("ours, paced", paced)):
        ok = sum(n for code, n in r["statuses"].items() if code.startswith("2"))
        rows.append([name, r["requests"], r["rps"], r["p50_ms"], r["p90_ms"], r["p99_ms"], r["max_ms"],
                     r["requests"] - ok + r["errors"], r["rows"], f"{r['client_cpu_pct']:.0f}%"])
    markdown = (
        f"### Webhook ingest ({args.connections} connections, {args.rounds} rounds of {args.seconds} s per endpoint, "
        f"gunicorn {args.web_workers} "
        f"sync workers, PostgreSQL + Redis, client {ours['client']})\n\n"
        + common.table(["endpoint", "requests", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "errors",
                        "rows stored", "client CPU"], rows)
        + f"\n\nRatio ours / floor: **{ratio:.2f}**, the median of the rounds "
        f"({', '.join(f'{r:.2f}' for r in ratios)}; target ≥ 0.70: {'met' if ratio >= 0.7 else 'MISSED'}). "
        f"Ratio ours / the stack's floor: **{stack_ratio:.2f}** ({', '.join(f'{r:.2f}' for r in stack_ratios)}); "
        f"the platform's floor / the stack's: {stack_ratio / ratio:.2f} (our middleware and "
        "settings before any webhook code). "
        f"Flat out, our p99 is {ours['p99_ms']:.1f} ms (target ≤ 50 ms: "
        f"{'met' if ours['p99_ms'] <= 50 else 'MISSED'}; the floor's is {floor['p99_ms']:.1f} ms: with 50 "
        f"connections always waiting, mean latency is 50 / throughput). Paced at {paced['rps']:.0f} req/s, "
        f"our p99 is **{paced['p99_ms']:.1f} ms** (p50 {paced['p50_ms']:.1f} ms)."
    )
    groups = sorted(set(stack["cpu_ms"]) | set(floor["cpu_ms"]) | set(ours["cpu_ms"]))
    markdown += "\n\nCPU per request by process (ms, from /proc; wrk is the load client):\n\n" + common.table(
        ["endpoint", *groups, "total"],
        [[name, *[r["cpu_ms"].get(g, 0.0) for g in groups], round(sum(r["cpu_ms"].values()), 3)]
         for name, r in (("stack floor", stack), ("floor", floor), ("ours", ours))])
    data = {"bench": "ingest", "connections": args.connections, "seconds": args.seconds, "rounds": args.rounds,
            "ratios": ratios, "stack_ratio": stack_ratio, "stack_ratios": stack_ratios,
            "web_workers": args.web_workers, "results": results, "ratio": ratio,
            "targets": {"ratio_min": 0.7, "p99_ms_max": 50}}
    if args.profile and profile is not None and Path(f"{profile}.txt").exists():
        data["profile_top"] = hottest(Path(f"{profile}.txt"))
        markdown += "\n\nProfile of the web workers during our run (py-spy, inclusive % of samples):\n\n" + \
            common.table(["function", "%"], [[name, pct] for name, pct in data["profile_top"]])
    common.write_results("ingest", data, markdown)


if __name__ == "__main__":
    main()
