"""Faults a test or a demo can inject, so the platform's error handling is exercised for real.

API faults (``http_500``, ``timeout``, ``http_429``) hit the next N ``/api/v2``
calls of a store; webhook faults are applied by :mod:`webhooks` when an event
is queued; ``menu_upload_failed`` by the menu upload handler. A fault without
``store_ref`` applies to every store.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..kit.faults import injected
from .errors import unprocessable
from .fields import Reader

if TYPE_CHECKING:
    from .app import Market

API_FAULTS = ("http_500", "timeout", "http_429")
WEBHOOK_FAULTS = ("webhook_duplicate", "webhook_reorder", "webhook_drop")
KINDS = (*API_FAULTS, "menu_upload_failed", *WEBHOOK_FAULTS)
DEFAULT_TIMEOUT_DELAY = 30.0


def add(market: Market, body: Any) -> dict[str, Any]:
    r = Reader(body)
    kind = r.choice("kind", KINDS)
    store_ref = r.string("store_ref", required=False, default=None)
    if store_ref is not None and market.db.get_store(store_ref) is None:
        raise unprocessable("invalid_request", f"store_ref {store_ref!r} is not a registered store")
    count = r.integer("count", required=False, default=1, minimum=1, maximum=100000)
    retry_after = r.number("retry_after", required=False, default=1 if kind == "http_429" else None, minimum=0,
                           maximum=3600)
    delay = r.number("delay", required=False, default=DEFAULT_TIMEOUT_DELAY if kind == "timeout" else None,
                     minimum=0, maximum=600)
    assert kind is not None and count is not None
    return market.db.add_fault(store_ref, kind, count, retry_after, delay)


def apply_api_fault(market: Market, store_ref: str) -> None:
    """Raise the injected failure for this call, if one is armed for the store."""
    fault = market.db.take_fault(store_ref, API_FAULTS)
    if fault is None:
        return
    if fault["kind"] == "http_500":
        raise injected(500, "internal_error", "injected fault: internal error")
    if fault["kind"] == "http_429":
        raise injected(429, "rate_limited", "injected fault: too many requests", retry_after=fault["retry_after"] or 0)
    raise injected(504, "timeout", "injected fault: the market took too long to answer", delay=fault["delay"] or 0)
