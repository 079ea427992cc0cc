"""Orders in Glovo's webhook shape: prices in integer cents, local times with ``utc_offset_minutes``."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any


def _local(instant: datetime, offset_minutes: int) -> str:
    return (instant + timedelta(minutes=offset_minutes)).strftime("%Y-%m-%d %H:%M:%S")


def _gross(product: dict[str, Any]) -> int:
    per_unit = product["price"] + sum(a["price"] * a.get("quantity", 1) for a in product.get("attributes", []))
    return per_unit * product["quantity"]


def build_order(store: dict[str, Any], spec: dict[str, Any], now: datetime) -> dict[str, Any]:
    offset = int(spec.get("utc_offset_minutes", store.get("utc_offset_minutes", 60)))
    order_id = str(spec.get("order_id") or random.randint(10**9, 10**10 - 1))
    products = spec.get("products") or [
        {"id": "PIZ-MARG", "name": "Margherita", "quantity": 1, "price": 1150, "attributes": []}]
    for product in products:
        product.setdefault("purchased_product_id", f"pp-{product['id']}")
        product.setdefault("attributes", [])
    total = sum(_gross(product) for product in products)
    pickup = now + timedelta(minutes=int(spec.get("pickup_in_minutes", 20)))
    by_customer = bool(spec.get("is_picked_up_by_customer", False))
    order: dict[str, Any] = {
        "order_id": order_id,
        "store_id": store["store_id"],
        "order_time": _local(now, offset),
        "estimated_pickup_time": _local(pickup, offset),
        "utc_offset_minutes": str(offset),
        "payment_method": spec.get("payment_method", "DELAYED"),
        "currency": spec.get("currency", "EUR"),
        "order_code": spec.get("order_code", "BA7DWBR9"),
        "allergy_info": spec.get("allergy_info", ""),
        "special_requirements": spec.get("special_requirements", ""),
        "estimated_total_price": total,
        "delivery_fee": spec.get("delivery_fee"),
        "cash_amount": None,
        "courier": None if by_customer else {"name": "Flash", "phone_number": "+34666666666"},
        "customer": {"name": "Waldo", "phone_number": "+34555555555", "hash": "11111111-2222"},
        "products": products,
        "delivery_address": spec.get("delivery_address"),
        "bundled_orders": [],
        "pick_up_code": spec.get("pick_up_code", "433"),
        "is_picked_up_by_customer": by_customer,
        "cutlery_requested": True,
        "partner_discounts_products": int(spec.get("partner_discounts_products", 0)),
    }
    return order


def now_utc() -> datetime:
    return datetime.now(UTC)
