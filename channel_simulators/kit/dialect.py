"""A real channel's dialect, simulated in memory: what every such company has besides its own API.

One lock over all state (handlers are short, and a simulator is not a
benchmark), a log of what the platform sent, webhook deliveries, and the
control routes a test uses on any of them: health, reset, log, webhooks.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from .app import App, Route, route
from .http import Request, Response
from .webhooks import WebhookSender


class DialectSimulator(App):
    """Subclasses pass their own routes and extend :meth:`wipe` with their own state."""

    def __init__(self, routes: list[Route]) -> None:
        self.lock = threading.RLock()
        self.sender = WebhookSender()
        self.routes = [
            *routes,
            route("GET", "/_control/health", lambda request: Response(200, {"ok": True})),
            route("POST", "/_control/reset", self.reset),
            route("GET", "/_control/log", self.read_log),
            route("GET", "/_control/webhooks", self.webhooks),
        ]
        self.wipe()

    def wipe(self) -> None:
        """Forget everything, as a fresh process would (called with the lock held, or before serving)."""
        self.log: list[dict[str, Any]] = []
        self.sender.clear()

    def record(self, kind: str, store_id: str, payload: Any, **extra: Any) -> None:
        """Note what the platform sent, for a test to assert on through ``/_control/log``."""
        self.log.append({"kind": kind, "store_id": store_id, "payload": payload, "at": time.time(), **extra})

    def reset(self, request: Request) -> Response:
        with self.lock:
            self.wipe()
            return Response(200, {"ok": True})

    def read_log(self, request: Request) -> Response:
        with self.lock:
            kind = request.query.get("kind")
            return Response(200, {"entries": [e for e in self.log if kind in (None, e["kind"])]})

    def webhooks(self, request: Request) -> Response:
        return Response(200, {"deliveries": [d.as_dict() for d in self.sender.deliveries]})
