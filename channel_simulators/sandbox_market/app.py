"""The market's process-wide state, handed to every handler.

One object instead of module globals so tests or a second market in the same
process never share a database or a webhook queue by accident.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from .clock import epoch
from .ratelimit import RateLimiter
from .store import Database
from .webhooks import WebhookDispatcher


@dataclass
class Market:
    db: Database
    webhooks: WebhookDispatcher
    limiter: RateLimiter = field(default_factory=RateLimiter)

    @classmethod
    def open(cls, db_path: str, *, reset: bool = False, backoff_scale: float = 1.0,
             webhook_timeout: float = 5.0) -> Market:
        db = Database(db_path, reset=reset)
        return cls(db=db, webhooks=WebhookDispatcher(db, backoff_scale=backoff_scale, timeout=webhook_timeout))

    def start(self) -> None:
        self.webhooks.start()

    def close(self) -> None:
        self.webhooks.stop()
        self.db.close()

    def reset(self) -> None:
        self.db.wipe()
        self.limiter.clear()

    def settle_uploads(self, store_ref: str) -> None:
        """Finish menu uploads whose processing time has passed, oldest first, publishing the good ones.

        Done lazily on every read instead of with timers: deterministic, and
        the result is the same as if a background job had run on time.
        """
        now = epoch()
        with self.db.tx():
            for row in self.db.pending_uploads(store_ref):
                if row["ready_at"] > now:
                    break
                if row["fail"]:
                    errors = [{"code": "rejected", "message": "the market rejected this menu (injected fault)"}]
                    self.db.finish_upload(row["upload_id"], "failed", errors)
                    continue
                menu: dict[str, Any] = json.loads(row["data"])
                self.db.set_menu(store_ref, menu, row["upload_id"])
                self.db.finish_upload(row["upload_id"], "done", [])
