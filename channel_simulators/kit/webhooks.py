"""Webhooks out: HMAC signing, one POST, and an in-memory sender that retries in a background thread.

:func:`post` is the one way any simulated company delivers (the market's
sqlite-backed lanes included): no redirects followed, since a redirect is not
a delivery, and every failure comes back as a value, never raised into a
sender thread. :class:`WebhookSender` is for the dialects, whose state dies
with the process: retries follow Uber's documented schedule (1, 2, 4… s, at
most 7 sends), scaled down by ``backoff_scale`` so tests stay fast.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any

REPLY_EXCERPT = 300


def hmac_hex(secret: str, payload: bytes) -> str:
    """Hex HMAC-SHA256 of ``payload``: what every company here signs with, each over its own payload."""
    return hmac.new(secret.encode(), payload, hashlib.sha256).hexdigest()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is not a delivery: report the 3xx instead of re-POSTing somewhere else."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


@dataclass(frozen=True)
class Sent:
    """One POST's outcome: the receiver's status (None when none came), why not, the start of its answer."""

    status: int | None
    error: str | None = None
    reply: str = ""

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> Sent:
    """POST ``body`` as JSON once."""
    request = urllib.request.Request(url, data=body, method="POST",  # noqa: S310 - the receiver the test gave
                                     headers={"Content-Type": "application/json", **headers})
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            return Sent(int(response.status), reply=response.read(REPLY_EXCERPT).decode(errors="replace"))
    except urllib.error.HTTPError as exc:
        with exc:
            return Sent(int(exc.code), reply=exc.read(REPLY_EXCERPT).decode(errors="replace"))
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return Sent(None, f"{type(exc).__name__}: {reason}"[:REPLY_EXCERPT])


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
            sent = post(delivery.url, delivery.body, delivery.headers, self.timeout)
            refused = sent.status is not None and not sent.ok
            delivery.attempts.append({"at": time.time(), "status": sent.status,
                                      "error": sent.reply if refused else sent.error})
            if sent.ok:
                delivery.delivered = True
                return
            time.sleep((2**attempt) * self.backoff_scale)
