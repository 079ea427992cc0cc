"""Uber Eats payloads in Uber's documented shapes, signed as Uber signs them (HMAC-SHA256 hex of the body)."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime

SENT_AT = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
CLIENT_ID = "uber-client-id-TEST"
CLIENT_SECRET = "uber_client_SECRET_0123456789"
STORE_ID = "7a1b2c3d-store"


def event(event_type: str, event_id: str, order_id: str, *, at: datetime = SENT_AT) -> bytes:
    return json.dumps({
        "event_id": event_id,
        "event_time": int(at.timestamp()),
        "event_type": event_type,
        "meta": {"resource_id": order_id, "status": "pos", "user_id": STORE_ID},
        "resource_href": f"https://api.uber.com/v2/eats/order/{order_id}",
    }).encode()


def sign(body: bytes, secret: str = CLIENT_SECRET) -> dict[str, str]:
    signature = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return {"Content-Type": "application/json", "X-Uber-Signature": signature, "X-Environment": "sandbox"}


def amount(cents: int, currency: str = "EUR") -> dict:
    return {"amount": cents, "currency_code": currency, "formatted_amount": f"€{cents / 100:.2f}"}


def item(item_id: str, title: str, quantity: int, unit: int, groups: list | None = None) -> dict:
    return {"id": item_id, "instance_id": f"i-{item_id}", "title": title, "external_data": item_id,
            "quantity": quantity,
            "price": {"unit_price": amount(unit), "total_price": amount(unit * quantity)},
            "selected_modifier_groups": groups or [], "special_instructions": ""}


def order(order_id: str = "f9f363d1-e1c2-4595-b477-c649845bc953", order_type: str = "DELIVERY_BY_UBER",
          **extra) -> dict:
    """2 pizzas with a crust choice that has its own topping choice (nested modifiers), 1 beer."""
    topping = {"id": "MG-TOP", "title": "Toppings", "external_data": "MG-TOP",
               "selected_items": [item("OPT-BASIL", "Basil", 1, 50)], "removed_items": []}
    crust = {"id": "MG-CRUST", "title": "Crust", "external_data": "MG-CRUST",
             "selected_items": [item("OPT-STUFFED", "Stuffed crust", 1, 200, [topping])], "removed_items": []}
    data = {
        "id": order_id,
        "display_id": "BC953",
        "external_reference_id": None,
        "current_state": "CREATED",
        "type": order_type,
        "store": {"id": STORE_ID, "name": "Casa Lucía"},
        "eater": {"first_name": "Ana", "last_name": "G.", "phone": "+34 600 000 000", "phone_code": "123 45 678",
                  "delivery": {"location": {"address_1": "Calle Mayor 1", "address_2": "2º izq.", "city": "Madrid",
                                            "postal_code": "28013", "latitude": 40.4168, "longitude": -3.7038},
                               "notes": "Ring twice"}},
        "cart": {"items": [item("PIZ-MARG", "Margherita", 2, 1150, [crust]), item("BEB-CANA", "Caña", 1, 250)],
                 "special_instructions": "No onion"},
        # goods: 2 * (1150 + 200 + 50) + 250 = 3050; + fee 299 + tip 100 - promo 150 = 3299
        "payment": {"charges": {"sub_total": amount(3050), "tax": amount(290), "total_fee": amount(299),
                                "tip": amount(100), "total_promo_applied": amount(150), "total": amount(3299)}},
        "placed_at": "2026-11-27T11:58:30.000Z",
        "estimated_ready_for_pickup_at": "2026-11-27T12:20:00.000Z",
        "deliveries": [{"first_name": "Luis", "current_state": "EN_ROUTE_TO_PICKUP"}],
    }
    data.update(extra)
    return data
