"""Webhook delivery shared by the simulators: POST in a background thread, retried, every attempt logged.

Retries follow Uber's documented schedule (1, 2, 4… s, at most 7 sends),
scaled down by ``backoff_scale`` so tests stay fast.
"""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Delivery:
    event_id: str
    url: str
    body: bytes
    headers: dict[str, str]
    attempts: list[dict[str, Any]] = field(default_factory=list)
    delivered: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"event_id": self.event_id, "url": self.url, "body": self.body.decode(), "headers": self.headers,
                "attempts": self.attempts, "delivered": self.delivered}


class WebhookSender:
    def __init__(self, max_sends: int = 7, backoff_scale: float = 0.02, timeout: float = 5.0) -> None:
        self.max_sends = max_sends
        self.backoff_scale = backoff_scale
        self.timeout = timeout
        self.deliveries: list[Delivery] = []
        self._lock = threading.Lock()

    def send(self, url: str, body: bytes, headers: dict[str, str], event_id: str) -> Delivery:
        delivery = Delivery(event_id, url, body, headers)
        with self._lock:
            self.deliveries.append(delivery)
        threading.Thread(target=self._deliver, args=(delivery,), daemon=True).start()
        return delivery

    def clear(self) -> None:
        with self._lock:
            self.deliveries.clear()

    def _deliver(self, delivery: Delivery) -> None:
        for attempt in range(self.max_sends):
            status, error = self._post(delivery)
            delivery.attempts.append({"at": time.time(), "status": status, "error": error})
            if status is not None and 200 <= status < 300:
                delivery.delivered = True
                return
            time.sleep((2**attempt) * self.backoff_scale)

    def _post(self, delivery: Delivery) -> tuple[int | None, str | None]:
        request = urllib.request.Request(delivery.url, data=delivery.body, method="POST",  # noqa: S310
                                         headers={"Content-Type": "application/json", **delivery.headers})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return response.status, None
        except urllib.error.HTTPError as exc:
            with exc:
                return exc.code, exc.read()[:300].decode(errors="replace")
        except OSError as exc:
            return None, str(exc)
