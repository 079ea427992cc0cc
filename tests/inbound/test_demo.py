"""The demo generator makes orders and reservations in the Sandbox Market at a steady pace."""

from __future__ import annotations

import threading

from integrations.inbound.demo import run_order_generator


def test_the_generator_creates_orders_until_stopped(market):
    market.register_store(store_ref="demo-store", api_key="k", currency="EUR")
    stop = threading.Event()
    made: list[int] = []
    worker = threading.Thread(target=lambda: made.append(run_order_generator(market.url, "demo-store", 600, stop)))

    worker.start()
    market.wait_for(lambda: market.request("GET", "/_control/tickets/SM-000003").status == 200, timeout=10)
    stop.set()
    worker.join(timeout=5)

    assert not worker.is_alive() and made[0] >= 3
