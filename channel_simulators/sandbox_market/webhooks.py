"""Signed webhook delivery, market -> platform, with retries in background threads.

Every event is first written to sqlite (so a restart resumes pending work),
then a per-store *lane* thread sends it. One lane per store keeps a store's
events in creation order (unless a fault says otherwise) while a slow or dead
receiver of one store never delays another store's webhooks.

Signature: ``X-Market-Signature: v1=<hex HMAC-SHA256(secret, f"{timestamp}." + body)>``
with ``X-Market-Timestamp`` freshly set on every attempt; the body bytes are
fixed at creation so every attempt (and every duplicate) carries the same body.
"""

from __future__ import annotations

import sqlite3
import sys
import threading
import uuid
from typing import Any

from ..kit.webhooks import hmac_hex, post
from .clock import epoch, now_iso
from .store import Database, dumps

BACKOFF = (0.5, 1.0, 2.0, 4.0, 8.0)
MAX_ATTEMPTS = 6
TIMEOUT_SECONDS = 5.0
HOLD_SECONDS = 30.0
USER_AGENT = "SandboxMarket-Webhooks/2"


def sign(secret: str, timestamp: str, body: bytes) -> str:
    return "v1=" + hmac_hex(secret, f"{timestamp}.".encode() + body)


class WebhookDispatcher:
    def __init__(self, db: Database, *, backoff_scale: float = 1.0, timeout: float = TIMEOUT_SECONDS,
                 hold_seconds: float = HOLD_SECONDS) -> None:
        self.db = db
        self.backoff = tuple(b * backoff_scale for b in BACKOFF)
        self.timeout = timeout
        self.hold_seconds = hold_seconds
        self._lanes: dict[str, tuple[threading.Thread, threading.Event]] = {}
        self._lanes_lock = threading.Lock()
        self._stopped = threading.Event()

    # -- producing --------------------------------------------------------------------------------------------
    def start(self) -> None:
        """Resume deliveries left pending by a previous run."""
        for store_ref in self.db.stores_with_work():
            self._wake(store_ref)

    def stop(self) -> None:
        self._stopped.set()
        with self._lanes_lock:
            for _thread, event in self._lanes.values():
                event.set()

    def emit(self, store: dict[str, Any], event: str, ticket: dict[str, Any], **extra: str) -> str | None:
        """Queue one event for the store; returns its event_id (None when the store has no webhook_url)."""
        if not store.get("webhook_url"):
            return None
        event_id = str(uuid.uuid4())
        body: dict[str, Any] = {"event_id": event_id, "event": event, "store_ref": store["store_ref"],
                                "ticket_id": ticket["ticket_id"], "occurred_at": now_iso()}
        if event.endswith(".created") and not store.get("thin_webhooks"):
            body["ticket"] = ticket
        body.update(extra)
        self._enqueue(store["store_ref"], event_id, event, ticket["ticket_id"], dumps(body))
        return event_id

    def _enqueue(self, store_ref: str, event_id: str, event: str, ticket_id: str, body: str) -> None:
        db = self.db
        with db.tx() as c:
            if db.take_fault(store_ref, ("webhook_drop",)):
                db.insert_delivery(event_id, store_ref, event, ticket_id, body, "dropped", "dropped by fault")
                db.bump(store_ref, "webhooks_dropped")
                return
            waiting = c.execute("SELECT COUNT(*) FROM deliveries WHERE store_ref = ? AND status = 'held' "
                                "AND held_after IS NULL", (store_ref,)).fetchone()[0]
            hold = not waiting and db.take_fault(store_ref, ("webhook_reorder",)) is not None
            duplicate = db.take_fault(store_ref, ("webhook_duplicate",)) is not None
            status = "held" if hold else "pending"
            note = "held by reorder fault" if hold else None
            first = db.insert_delivery(event_id, store_ref, event, ticket_id, body, status, note)
            ids = [first]
            if duplicate:
                ids.append(db.insert_delivery(event_id, store_ref, event, ticket_id, body, status,
                                              "duplicate by fault"))
            if hold:
                marks = ",".join("?" * len(ids))
                c.execute(f"UPDATE deliveries SET next_attempt_at = ? WHERE id IN ({marks})",  # noqa: S608
                          (epoch() + self.hold_seconds, *ids))
            elif waiting:
                c.execute("UPDATE deliveries SET held_after = ? WHERE store_ref = ? AND status = 'held' "
                          "AND held_after IS NULL", (first, store_ref))
        self._wake(store_ref)

    def _wake(self, store_ref: str) -> None:
        with self._lanes_lock:
            lane = self._lanes.get(store_ref)
            if lane is None or not lane[0].is_alive():
                event = threading.Event()
                thread = threading.Thread(target=self._run, args=(store_ref, event), daemon=True,
                                          name=f"webhooks-{store_ref}")
                self._lanes[store_ref] = (thread, event)
                thread.start()
                lane = self._lanes[store_ref]
        lane[1].set()

    # -- consuming --------------------------------------------------------------------------------------------
    def _run(self, store_ref: str, wake: threading.Event) -> None:
        while not self._stopped.is_set():
            try:
                wait = self._step(store_ref)
            except sqlite3.Error as exc:  # e.g. the database was closed at shutdown
                print(f"sandbox_market webhooks: {exc}", file=sys.stderr)
                wait = 1.0
            if wait:
                wake.wait(wait)
                wake.clear()

    def _step(self, store_ref: str) -> float:
        """Send one due delivery; return how long to sleep (0 = look again at once)."""
        now = epoch()
        with self.db.tx() as c:
            c.execute("UPDATE deliveries SET status = 'pending', next_attempt_at = ? WHERE store_ref = ? "
                      "AND status = 'held' AND next_attempt_at <= ?", (now, store_ref, now))
            row = c.execute("SELECT * FROM deliveries WHERE store_ref = ? AND status = 'pending' "
                            "AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT 1",
                            (store_ref, now)).fetchone()
            upcoming = c.execute("SELECT MIN(next_attempt_at) FROM deliveries WHERE store_ref = ? "
                                 "AND status IN ('pending', 'held')", (store_ref,)).fetchone()[0]
        if row is not None:
            self._attempt(row)
            return 0
        return 1.0 if upcoming is None else min(max(upcoming - now, 0.01), 1.0)

    def _attempt(self, row: sqlite3.Row) -> None:
        store = self.db.get_store(row["store_ref"])
        attempt = row["attempts"] + 1
        if store is None or not store.get("webhook_url"):
            code, error = None, "store has no webhook_url"
        else:
            code, error = self._post(store["webhook_url"], store.get("webhook_secret") or "", row)
        ok = code is not None and 200 <= code < 300
        with self.db.tx() as c:
            if self.db.delivery(row["id"]) is None:  # wiped by a reset meanwhile
                return
            c.execute("INSERT INTO attempts(delivery_id, attempt, status_code, error, at) VALUES (?,?,?,?,?)",
                      (row["id"], attempt, code, error, now_iso()))
            if ok or attempt >= MAX_ATTEMPTS:
                c.execute("UPDATE deliveries SET status = ?, attempts = ?, finished_at = ? WHERE id = ?",
                          ("delivered" if ok else "failed", attempt, now_iso(), row["id"]))
                self.db.bump(row["store_ref"], "webhooks_sent" if ok else "webhooks_failed")
                c.execute("UPDATE deliveries SET status = 'pending', next_attempt_at = ? WHERE status = 'held' "
                          "AND held_after = ?", (epoch(), row["id"]))
            else:
                delay = self.backoff[min(attempt - 1, len(self.backoff) - 1)]
                c.execute("UPDATE deliveries SET attempts = ?, next_attempt_at = ? WHERE id = ?",
                          (attempt, epoch() + delay, row["id"]))

    def _post(self, url: str, secret: str, row: sqlite3.Row) -> tuple[int | None, str | None]:
        body = row["body"].encode()
        timestamp = str(int(epoch()))  # fresh on every attempt; the body stays the same bytes
        headers = {"User-Agent": USER_AGENT, "X-Market-Event-Id": row["event_id"], "X-Market-Timestamp": timestamp,
                   "X-Market-Signature": sign(secret, timestamp, body)}
        sent = post(url, body, headers, self.timeout)
        return sent.status, sent.error
