"""Glovo notifications in Glovo's shapes: the full order in cents with local times, and cancellations."""

from __future__ import annotations

import json
from datetime import UTC, datetime

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
API_TOKEN = "glovo_api_TOKEN_0123456789"
WEBHOOK_TOKEN = "glovo_webhook_SHARED_9876543210"
STORE_ID = "casa-lucia-bcn"


def order(order_id: str = "100000001", **extra) -> dict:
    """Placed at 12:58:30 local time, UTC+60 min: 11:58:30Z; 2×(11.50+1.50) + 2.50 = 28.50 €."""
    data = {
        "order_id": order_id,
        "store_id": STORE_ID,
        "order_time": "2026-11-27 12:58:30",
        "estimated_pickup_time": "2026-11-27 13:20:00",
        "utc_offset_minutes": "60",
        "payment_method": "DELAYED",
        "currency": "EUR",
        "order_code": "BA7DWBR9",
        "allergy_info": "Nuts",
        "special_requirements": "No onion",
        "estimated_total_price": 2850,
        "delivery_fee": None,
        "courier": {"name": "Flash", "phone_number": "+34666666666"},
        "customer": {"name": "Waldo", "phone_number": "+34555555555", "hash": "aaaa-bbbb"},
        "products": [
            {"id": "PIZ-MARG", "purchased_product_id": "pp-1", "quantity": 2, "price": 1150, "name": "Margherita",
             "attributes": [{"id": "OPT-CHEESE", "quantity": 1, "price": 150, "name": "Extra cheese"}]},
            {"id": "BEB-CANA", "purchased_product_id": "pp-2", "quantity": 1, "price": 250, "name": "Caña",
             "attributes": []},
        ],
        "delivery_address": None,
        "bundled_orders": [],
        "pick_up_code": "433",
        "is_picked_up_by_customer": False,
        "cutlery_requested": True,
        "partner_discounts_products": 0,
        "partner_discounted_products_total": 2850,
    }
    data.update(extra)
    return data


def body(data: dict) -> bytes:
    return json.dumps(data).encode()


def cancellation(order_id: str = "100000001", reason: str = "USER_CANCELED") -> bytes:
    return body({"order_id": order_id, "store_id": STORE_ID, "cancel_reason": reason,
                 "payment_strategy": "PAY_NOTHING"})


def headers(token: str | None = WEBHOOK_TOKEN) -> dict[str, str]:
    return {"Content-Type": "application/json", **({"Authorization": token} if token is not None else {})}
