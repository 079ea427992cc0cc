"""SQLite persistence for the market: its own database, nothing shared with the platform.

One connection guarded by a re-entrant lock: the market is a test/demo fake,
correctness under concurrent requests and webhook threads matters far more
than throughput, and a single lock makes every read-modify-write (sequences,
state transitions, fault consumption) atomic. WAL lets an outside reader
(``sqlite3`` in a shell) look while the market runs.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .clock import epoch, now_iso

SCHEMA = """
CREATE TABLE IF NOT EXISTS stores (
    store_ref TEXT PRIMARY KEY, api_key TEXT NOT NULL, webhook_url TEXT, webhook_secret TEXT,
    currency TEXT NOT NULL, thin_webhooks INTEGER NOT NULL, rate_limit_per_second REAL,
    menu_processing_seconds REAL NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS tickets (
    ticket_id TEXT PRIMARY KEY, seq INTEGER NOT NULL, store_ref TEXT NOT NULL, state TEXT NOT NULL,
    changed_at TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS tickets_store ON tickets(store_ref, seq);
CREATE TABLE IF NOT EXISTS menus (store_ref TEXT PRIMARY KEY, upload_id TEXT, published_at TEXT, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS menu_uploads (
    upload_id TEXT PRIMARY KEY, seq INTEGER NOT NULL, store_ref TEXT NOT NULL, status TEXT NOT NULL,
    errors TEXT NOT NULL, ready_at REAL NOT NULL, fail INTEGER NOT NULL, created_at TEXT NOT NULL,
    data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS opening_hours (store_ref TEXT PRIMARY KEY, updated_at TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pauses (
    store_ref TEXT PRIMARY KEY, paused INTEGER NOT NULL, until TEXT, reason TEXT, updated_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS api_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT, store_ref TEXT NOT NULL, kind TEXT NOT NULL, ticket_id TEXT,
    payload TEXT NOT NULL, at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS api_log_store ON api_log(store_ref, id);
CREATE TABLE IF NOT EXISTS faults (
    id INTEGER PRIMARY KEY AUTOINCREMENT, store_ref TEXT, kind TEXT NOT NULL, remaining INTEGER NOT NULL,
    retry_after REAL, delay REAL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL, store_ref TEXT NOT NULL, event TEXT NOT NULL,
    ticket_id TEXT, body TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL NOT NULL, held_after INTEGER, note TEXT, created_at TEXT NOT NULL, finished_at TEXT);
CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries(store_ref, status, next_attempt_at);
CREATE TABLE IF NOT EXISTS attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT, delivery_id INTEGER NOT NULL, attempt INTEGER NOT NULL,
    status_code INTEGER, error TEXT, at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS attempts_delivery ON attempts(delivery_id);
CREATE TABLE IF NOT EXISTS stats (
    store_ref TEXT PRIMARY KEY, api_calls INTEGER NOT NULL DEFAULT 0, peak_rps INTEGER NOT NULL DEFAULT 0,
    rate_limited INTEGER NOT NULL DEFAULT 0, webhooks_sent INTEGER NOT NULL DEFAULT 0,
    webhooks_failed INTEGER NOT NULL DEFAULT 0, webhooks_dropped INTEGER NOT NULL DEFAULT 0);
"""

TABLES = ("stores", "counters", "tickets", "menus", "menu_uploads", "opening_hours", "pauses", "api_log", "faults",
          "deliveries", "attempts", "stats")

STORE_PUBLIC = ("store_ref", "webhook_url", "currency", "thin_webhooks", "rate_limit_per_second",
                "menu_processing_seconds", "created_at", "updated_at")


def dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


class Database:
    def __init__(self, path: str, reset: bool = False) -> None:
        self.path = path
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            if reset:
                for suffix in ("", "-wal", "-shm"):
                    Path(path + suffix).unlink(missing_ok=True)
        self.lock = threading.RLock()
        self.conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=10)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.executescript(SCHEMA)

    @contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        """One atomic unit of work; nested calls join the outer transaction."""
        with self.lock:
            if self.conn.in_transaction:
                yield self.conn
                return
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    def all(self, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        with self.lock:
            return self.conn.execute(sql, params).fetchall()

    def one(self, sql: str, params: tuple[Any, ...] = ()) -> sqlite3.Row | None:
        with self.lock:
            return self.conn.execute(sql, params).fetchone()

    def wipe(self) -> None:
        with self.tx() as c:
            for table in TABLES:
                c.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names

    def close(self) -> None:
        with self.lock:
            self.conn.close()

    # -- counters ---------------------------------------------------------------------------------------------
    def next_value(self, name: str) -> int:
        with self.tx() as c:
            c.execute("INSERT INTO counters(name, value) VALUES (?, 1) "
                      "ON CONFLICT(name) DO UPDATE SET value = value + 1", (name,))
            return int(c.execute("SELECT value FROM counters WHERE name = ?", (name,)).fetchone()[0])

    # -- stores -----------------------------------------------------------------------------------------------
    def get_store(self, store_ref: str) -> dict[str, Any] | None:
        row = self.one("SELECT * FROM stores WHERE store_ref = ?", (store_ref,))
        if row is None:
            return None
        store = dict(row)
        store["thin_webhooks"] = bool(store["thin_webhooks"])
        return store

    def list_stores(self) -> list[dict[str, Any]]:
        return [s for r in self.all("SELECT store_ref FROM stores ORDER BY store_ref")
                if (s := self.get_store(r[0])) is not None]

    def save_store(self, store: dict[str, Any]) -> bool:
        """Insert or update; returns True when the store is new."""
        with self.tx() as c:
            existed = c.execute("SELECT 1 FROM stores WHERE store_ref = ?", (store["store_ref"],)).fetchone()
            now = now_iso()
            if existed:
                c.execute("UPDATE stores SET api_key=?, webhook_url=?, webhook_secret=?, currency=?, thin_webhooks=?, "
                          "rate_limit_per_second=?, menu_processing_seconds=?, updated_at=? WHERE store_ref=?",
                          (store["api_key"], store["webhook_url"], store["webhook_secret"], store["currency"],
                           int(store["thin_webhooks"]), store["rate_limit_per_second"],
                           store["menu_processing_seconds"], now, store["store_ref"]))
            else:
                c.execute("INSERT INTO stores VALUES (?,?,?,?,?,?,?,?,?,?)",
                          (store["store_ref"], store["api_key"], store["webhook_url"], store["webhook_secret"],
                           store["currency"], int(store["thin_webhooks"]), store["rate_limit_per_second"],
                           store["menu_processing_seconds"], now, now))
                c.execute("INSERT OR IGNORE INTO stats(store_ref) VALUES (?)", (store["store_ref"],))
            return not existed

    @staticmethod
    def public_store(store: dict[str, Any]) -> dict[str, Any]:
        return {key: store[key] for key in STORE_PUBLIC}

    # -- tickets ----------------------------------------------------------------------------------------------
    def insert_ticket(self, seq: int, ticket: dict[str, Any]) -> None:
        with self.tx() as c:
            c.execute("INSERT INTO tickets VALUES (?,?,?,?,?,?)",
                      (ticket["ticket_id"], seq, ticket["store_ref"], ticket["state"], ticket["placed_at"],
                       dumps(ticket)))

    def get_ticket(self, ticket_id: str) -> tuple[dict[str, Any], str] | None:
        row = self.one("SELECT data, changed_at FROM tickets WHERE ticket_id = ?", (ticket_id,))
        return (json.loads(row["data"]), row["changed_at"]) if row else None

    def update_ticket(self, ticket: dict[str, Any], changed_at: str) -> None:
        with self.tx() as c:
            c.execute("UPDATE tickets SET state=?, changed_at=?, data=? WHERE ticket_id=?",
                      (ticket["state"], changed_at, dumps(ticket), ticket["ticket_id"]))

    def recent_tickets(self, store_ref: str, limit: int = 20) -> list[tuple[dict[str, Any], str]]:
        rows = self.all("SELECT data, changed_at FROM tickets WHERE store_ref = ? ORDER BY seq DESC LIMIT ?",
                        (store_ref, limit))
        return [(json.loads(r["data"]), r["changed_at"]) for r in rows]

    # -- menus ------------------------------------------------------------------------------------------------
    def get_menu(self, store_ref: str) -> dict[str, Any] | None:
        row = self.one("SELECT data FROM menus WHERE store_ref = ?", (store_ref,))
        return json.loads(row["data"]) if row else None

    def get_menu_meta(self, store_ref: str) -> dict[str, Any] | None:
        row = self.one("SELECT upload_id, published_at FROM menus WHERE store_ref = ?", (store_ref,))
        return dict(row) if row else None

    def set_menu(self, store_ref: str, menu: dict[str, Any], upload_id: str | None) -> None:
        with self.tx() as c:
            c.execute("INSERT INTO menus VALUES (?,?,?,?) ON CONFLICT(store_ref) DO UPDATE SET "
                      "upload_id=excluded.upload_id, published_at=excluded.published_at, data=excluded.data",
                      (store_ref, upload_id, now_iso(), dumps(menu)))

    def insert_upload(self, upload_id: str, seq: int, store_ref: str, menu: dict[str, Any], ready_at: float,
                      fail: bool) -> None:
        with self.tx() as c:
            c.execute("INSERT INTO menu_uploads VALUES (?,?,?,?,?,?,?,?,?)",
                      (upload_id, seq, store_ref, "processing", "[]", ready_at, int(fail), now_iso(), dumps(menu)))

    def pending_uploads(self, store_ref: str) -> list[sqlite3.Row]:
        return self.all("SELECT * FROM menu_uploads WHERE store_ref = ? AND status = 'processing' ORDER BY seq",
                        (store_ref,))

    def finish_upload(self, upload_id: str, status: str, errors: list[dict[str, str]]) -> None:
        with self.tx() as c:
            c.execute("UPDATE menu_uploads SET status=?, errors=? WHERE upload_id=?",
                      (status, dumps(errors), upload_id))

    def get_upload(self, store_ref: str, upload_id: str) -> sqlite3.Row | None:
        return self.one("SELECT * FROM menu_uploads WHERE store_ref = ? AND upload_id = ?", (store_ref, upload_id))

    # -- availability -----------------------------------------------------------------------------------------
    def get_hours(self, store_ref: str) -> dict[str, Any] | None:
        row = self.one("SELECT data FROM opening_hours WHERE store_ref = ?", (store_ref,))
        return json.loads(row["data"]) if row else None

    def set_hours(self, store_ref: str, hours: dict[str, Any]) -> None:
        with self.tx() as c:
            c.execute("INSERT INTO opening_hours VALUES (?,?,?) ON CONFLICT(store_ref) DO UPDATE SET "
                      "updated_at=excluded.updated_at, data=excluded.data", (store_ref, now_iso(), dumps(hours)))

    def get_pause(self, store_ref: str) -> sqlite3.Row | None:
        return self.one("SELECT * FROM pauses WHERE store_ref = ?", (store_ref,))

    def set_pause(self, store_ref: str, paused: bool, until: str | None, reason: str | None) -> None:
        with self.tx() as c:
            c.execute("INSERT INTO pauses VALUES (?,?,?,?,?) ON CONFLICT(store_ref) DO UPDATE SET "
                      "paused=excluded.paused, until=excluded.until, reason=excluded.reason, "
                      "updated_at=excluded.updated_at", (store_ref, int(paused), until, reason, now_iso()))

    # -- what the store told us -------------------------------------------------------------------------------
    def add_log(self, store_ref: str, kind: str, ticket_id: str | None, payload: Any) -> None:
        with self.tx() as c:
            c.execute("INSERT INTO api_log(store_ref, kind, ticket_id, payload, at) VALUES (?,?,?,?,?)",
                      (store_ref, kind, ticket_id, dumps(payload), now_iso()))

    def log_entries(self, store_ref: str | None, kind: str | None, limit: int | None = None) -> list[dict[str, Any]]:
        sql, params = "SELECT * FROM api_log WHERE 1=1", []
        if store_ref:
            sql, params = sql + " AND store_ref = ?", [*params, store_ref]
        if kind:
            sql, params = sql + " AND kind = ?", [*params, kind]
        sql += " ORDER BY id DESC"
        if limit:
            sql += f" LIMIT {int(limit)}"
        rows = reversed(self.all(sql, tuple(params)))
        return [{"kind": r["kind"], "store_ref": r["store_ref"], "ticket_id": r["ticket_id"],
                 "payload": json.loads(r["payload"]), "at": r["at"]} for r in rows]

    # -- stats ------------------------------------------------------------------------------------------------
    def bump(self, store_ref: str, column: str, by: int = 1) -> None:
        assert column in ("api_calls", "rate_limited", "webhooks_sent", "webhooks_failed", "webhooks_dropped")
        with self.tx() as c:
            c.execute("INSERT OR IGNORE INTO stats(store_ref) VALUES (?)", (store_ref,))
            c.execute(f"UPDATE stats SET {column} = {column} + ? WHERE store_ref = ?", (by, store_ref))  # noqa: S608

    def raise_peak(self, store_ref: str, rps: int) -> None:
        with self.tx() as c:
            c.execute("INSERT OR IGNORE INTO stats(store_ref) VALUES (?)", (store_ref,))
            c.execute("UPDATE stats SET peak_rps = MAX(peak_rps, ?) WHERE store_ref = ?", (rps, store_ref))

    def stats(self) -> dict[str, dict[str, int]]:
        rows = self.all("SELECT * FROM stats ORDER BY store_ref")
        return {r["store_ref"]: {k: r[k] for k in r.keys() if k != "store_ref"} for r in rows}  # noqa: SIM118

    # -- faults -----------------------------------------------------------------------------------------------
    def add_fault(self, store_ref: str | None, kind: str, count: int, retry_after: float | None,
                  delay: float | None) -> dict[str, Any]:
        with self.tx() as c:
            cur = c.execute("INSERT INTO faults(store_ref, kind, remaining, retry_after, delay, created_at) "
                            "VALUES (?,?,?,?,?,?)", (store_ref, kind, count, retry_after, delay, now_iso()))
            return dict(c.execute("SELECT * FROM faults WHERE id = ?", (cur.lastrowid,)).fetchone())

    def list_faults(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.all("SELECT * FROM faults ORDER BY id")]

    def clear_faults(self) -> None:
        with self.tx() as c:
            c.execute("DELETE FROM faults")

    def take_fault(self, store_ref: str, kinds: tuple[str, ...]) -> dict[str, Any] | None:
        """Consume one unit of the oldest matching fault (for this store or for all stores)."""
        marks = ",".join("?" * len(kinds))
        with self.tx() as c:
            row = c.execute(f"SELECT * FROM faults WHERE kind IN ({marks}) AND remaining > 0 "  # noqa: S608
                            "AND (store_ref IS NULL OR store_ref = ?) ORDER BY id LIMIT 1",
                            (*kinds, store_ref)).fetchone()
            if row is None:
                return None
            if row["remaining"] <= 1:
                c.execute("DELETE FROM faults WHERE id = ?", (row["id"],))
            else:
                c.execute("UPDATE faults SET remaining = remaining - 1 WHERE id = ?", (row["id"],))
            return dict(row)

    # -- webhook deliveries -----------------------------------------------------------------------------------
    def insert_delivery(self, event_id: str, store_ref: str, event: str, ticket_id: str | None, body: str,
                        status: str, note: str | None = None) -> int:
        with self.tx() as c:
            cur = c.execute("INSERT INTO deliveries(event_id, store_ref, event, ticket_id, body, status, "
                            "next_attempt_at, note, created_at) VALUES (?,?,?,?,?,?,?,?,?)",
                            (event_id, store_ref, event, ticket_id, body, status, epoch(), note, now_iso()))
            return int(cur.lastrowid or 0)

    def delivery(self, delivery_id: int) -> sqlite3.Row | None:
        return self.one("SELECT * FROM deliveries WHERE id = ?", (delivery_id,))

    def deliveries(self, store_ref: str | None, limit: int | None = None) -> list[dict[str, Any]]:
        sql, params = "SELECT * FROM deliveries", ()
        if store_ref:
            sql, params = sql + " WHERE store_ref = ?", (store_ref,)
        sql += " ORDER BY id DESC" + (f" LIMIT {int(limit)}" if limit else "")
        rows = list(reversed(self.all(sql, params)))
        out = []
        for r in rows:
            attempts = [{"attempt": a["attempt"], "status_code": a["status_code"], "error": a["error"], "at": a["at"]}
                        for a in self.all("SELECT * FROM attempts WHERE delivery_id = ? ORDER BY attempt", (r["id"],))]
            out.append({"delivery_id": r["id"], "event_id": r["event_id"], "event": r["event"],
                        "store_ref": r["store_ref"], "ticket_id": r["ticket_id"], "status": r["status"],
                        "note": r["note"], "created_at": r["created_at"], "finished_at": r["finished_at"],
                        "attempts": attempts, "payload": json.loads(r["body"])})
        return out

    def stores_with_work(self) -> list[str]:
        return [r[0] for r in self.all("SELECT DISTINCT store_ref FROM deliveries WHERE status IN ('pending','held')")]
