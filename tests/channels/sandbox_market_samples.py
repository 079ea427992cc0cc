"""Sandbox Market payloads in the market's own shapes, signed like the market signs them."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime

SIGNED_AT = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
WEBHOOK_SECRET = "whsec_sandbox_TEST_1234567890"
API_KEY = "mk_test_ABCDEF0123456789"


def ticket(ticket_id: str = "SM-000042", kind: str = "HOME_DELIVERY", state: str = "NEW", **extra) -> dict:
    data = {
        "ticket_id": ticket_id,
        "pickup_code": "B7",
        "store_ref": "casa-lucia",
        "kind": kind,
        "state": state,
        "placed_at": "2026-11-27T11:58:00Z",
        "wanted_at": None,
        "customer": {"display_name": "Ana G.", "phone": "+34600000000"},
        "drop_off": {
            "street": "Calle Mayor 1",
            "city": "Madrid",
            "postcode": "28013",
            "lat": 40.4168,
            "lng": -3.7038,
            "remarks": "2º izquierda",
        },
        "basket": [
            {
                "line_ref": "L1",
                "plu": "PIZ-MARG-M",
                "title": "Margherita (Medium)",
                "qty": 2,
                "unit_cents": 1150,
                "vat_pct": 10,
                "extras": [
                    {"line_ref": "L1.1", "plu": "OPT-CHEESE", "title": "Extra cheese", "qty": 1,
                     "unit_cents": 150, "vat_pct": 10}
                ],
            },
            {"line_ref": "L2", "plu": "BEB-CANA", "title": "Caña", "qty": 1, "unit_cents": 250, "vat_pct": 21,
             "extras": []},
        ],
        # goods = 2*1150 + 2*1*150 + 250 = 2850
        "totals": {
            "goods_cents": 2850,
            "vat_cents": 280,
            "delivery_fee_cents": 250,
            "tip_cents": 100,
            "discount_cents": 0,
            "grand_total_cents": 3200,
            "currency": "EUR",
        },
        "payment": {"method": "CARD", "paid": True},
        "covers": None,
        "booking_at": None,
        "comment": "Sin cebolla",
        "courier": None,
    }
    data.update(extra)
    return data


def booking(ticket_id: str = "SM-000043") -> dict:
    return ticket(
        ticket_id,
        kind="TABLE_BOOKING",
        state="PENDING",
        basket=[],
        drop_off=None,
        covers=4,
        booking_at="2026-11-28T20:30:00Z",
        totals={"goods_cents": 0, "vat_cents": 0, "delivery_fee_cents": 0, "tip_cents": 0, "discount_cents": 0,
                "grand_total_cents": 0, "currency": "EUR"},
        payment={},
    )


def event(event: str, event_id: str, ticket_id: str, **extra) -> bytes:
    body = {"event_id": event_id, "event": event, "store_ref": "casa-lucia", "ticket_id": ticket_id,
            "occurred_at": "2026-11-27T11:59:00Z", **extra}
    return json.dumps(body).encode()


def sign(body: bytes, *, secret: str = WEBHOOK_SECRET, at: datetime = SIGNED_AT, event_id: str = "") -> dict:
    timestamp = str(int(at.timestamp()))
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    headers = {"Content-Type": "application/json", "X-Market-Timestamp": timestamp,
               "X-Market-Signature": f"v1={digest}"}
    if event_id:
        headers["X-Market-Event-Id"] = event_id
    return headers
