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


def item(item_id: str, title: str, quantity: int, base: int, groups: list | None = None) -> dict:
    """An Item of GET /v2/eats/order/{id}: ``unit_price`` includes the options, ``base_unit_price`` does not."""
    options = sum(option["price"]["total_price"]["amount"]
                  for group in groups or () for option in group.get("selected_items") or ())
    unit = base + options
    return {"id": item_id, "instance_id": f"i-{item_id}", "title": title, "external_data": f"menu:{item_id}",
            "quantity": quantity,
            "price": {"unit_price": amount(unit), "total_price": amount(unit * quantity),
                      "base_unit_price": amount(base), "base_total_price": amount(base * quantity)},
            "selected_modifier_groups": groups or [], "special_instructions": ""}


def order(order_id: str = "f9f363d1-e1c2-4595-b477-c649845bc953", order_type: str = "DELIVERY_BY_UBER",
          **extra) -> dict:
    """2 pizzas with a crust choice that has its own topping choice (nested modifiers), 1 beer; tax on top."""
    topping = {"id": "MG-TOP", "title": "Toppings", "selected_items": [item("OPT-BASIL", "Basil", 1, 50)],
               "removed_items": []}
    crust = {"id": "MG-CRUST", "title": "Crust",
             "selected_items": [item("OPT-STUFFED", "Stuffed crust", 1, 200, [topping])], "removed_items": []}
    data = {
        "id": order_id,
        "display_id": "BC953",
        "current_state": "CREATED",
        "type": order_type,
        "store": {"id": STORE_ID, "name": "Casa Lucía"},
        "eater": {"first_name": "Ana", "last_name": "G.", "phone": "+34 600 000 000", "phone_code": "123 45 678"},
        "cart": {"items": [item("PIZ-MARG", "Margherita", 2, 1150, [crust]), item("BEB-CANA", "Caña", 1, 250)],
                 "special_instructions": "No onion"},
        # lines: 2 * (1150 + 200 + 50) + 250 = 3050 = sub_total; + tax 290 on top = 3340
        "payment": {"charges": {"sub_total": amount(3050), "tax": amount(290), "total_fee": amount(0),
                                "total": amount(3340)}},
        "placed_at": "2026-11-27T12:58:30+01:00",
        "estimated_ready_for_pickup_at": "2026-11-27T13:20:00+01:00",
        "deliveries": [{"first_name": "Luis", "current_state": "EN_ROUTE_TO_PICKUP",
                        "estimated_pickup_time": "2026-11-27T13:22:00+01:00"}],
    }
    data.update(extra)
    return data
