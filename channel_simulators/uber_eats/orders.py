"""Orders in Uber Eats' v2 shape, built from a short control request (money as integer minor units)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any


def money(amount: int, currency: str) -> dict[str, Any]:
    return {"amount": amount, "currency_code": currency, "formatted_amount": f"{amount / 100:.2f} {currency}"}


def _item(data: dict[str, Any], currency: str) -> dict[str, Any]:
    quantity = int(data.get("quantity", 1))
    unit = int(data.get("unit_price", 0))
    groups = [
        {"id": group.get("id", "mg"), "title": group.get("title", "Options"), "external_data": group.get("id", ""),
         "selected_items": [_item(option, currency) for option in group.get("items", [])], "removed_items": []}
        for group in data.get("modifier_groups", [])
    ]
    return {
        "id": data.get("id") or uuid.uuid4().hex[:12], "instance_id": uuid.uuid4().hex[:12],
        "title": data.get("title", "Item"), "external_data": data.get("external_data", data.get("id", "")),
        "quantity": quantity,
        "price": {"unit_price": money(unit, currency), "total_price": money(unit * quantity, currency)},
        "selected_modifier_groups": groups, "special_instructions": data.get("special_instructions", ""),
    }


def _gross(item: dict[str, Any], parent: int = 1) -> int:
    quantity = item["quantity"] * parent
    own = item["price"]["unit_price"]["amount"] * quantity
    return own + sum(_gross(option, quantity) for group in item["selected_modifier_groups"]
                     for option in group["selected_items"])


def build_order(store_id: str, spec: dict[str, Any], now: float) -> dict[str, Any]:
    """An order as ``GET /v2/eats/order/{id}`` returns it. ``spec`` keys: type, items, tip, fees, scheduled_for…"""
    currency = spec.get("currency", "EUR")
    order_id = spec.get("id") or str(uuid.uuid4())
    items = [_item(item, currency) for item in spec.get("items") or [
        {"id": "PIZ-MARG", "title": "Margherita", "quantity": 1, "unit_price": 1150}]]
    sub_total = sum(_gross(item) for item in items)
    fee, tip, promo = int(spec.get("delivery_fee", 0)), int(spec.get("tip", 0)), int(spec.get("discount", 0))
    order_type = spec.get("type", "DELIVERY_BY_UBER")
    order: dict[str, Any] = {
        "id": order_id,
        "display_id": order_id.replace("-", "")[-5:].upper(),
        "external_reference_id": None,
        "current_state": "CREATED",
        "type": order_type,
        "store": {"id": store_id, "name": spec.get("store_name", "Test store")},
        "eater": {"first_name": "Ana", "last_name": "G.", "phone": "+34 600 000 000", "phone_code": "123 45 678"},
        "cart": {"items": items, "special_instructions": spec.get("special_instructions", "")},
        "payment": {"charges": {
            "sub_total": money(sub_total, currency),
            "tax": money(int(spec.get("tax", 0)), currency),
            "total_fee": money(fee, currency),
            "tip": money(tip, currency),
            "total_promo_applied": money(promo, currency),
            "total": money(sub_total + fee + tip - promo, currency),
        }},
        "placed_at": datetime.fromtimestamp(now, UTC).isoformat().replace("+00:00", "Z"),
        "deliveries": [],
    }
    if order_type in ("DELIVERY_BY_UBER", "DELIVERY_BY_RESTAURANT"):
        order["eater"]["delivery"] = {"location": {"address_1": "Calle Mayor 1", "address_2": "2º izq.",
                                                  "city": "Madrid", "postal_code": "28013",
                                                  "latitude": 40.4168, "longitude": -3.7038},
                                     "notes": "Ring twice"}
    if spec.get("scheduled_for"):
        order["scheduled_order_target_delivery_time_range"] = {"start_time": spec["scheduled_for"],
                                                               "end_time": spec["scheduled_for"]}
    return order
