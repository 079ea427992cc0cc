"""Auto-accept: a connection may accept every new order at once (so a demo runs end to end)."""

from __future__ import annotations

from orders.models import Order


def auto_accept_if_enabled(order: Order) -> None:
    """Called explicitly by inbound intake after a new order is created (not a signal)."""
    return None
