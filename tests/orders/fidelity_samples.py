"""A canonical order that carries everything a real channel sends: scheduled, coded, with fees and removals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from canonical import (
    Address,
    Cancellation,
    CancelledBy,
    CanonicalOrder,
    Customer,
    Estimates,
    Fee,
    Money,
    OrderAmounts,
    OrderLine,
    Payment,
    PaymentMethod,
    RemovedIngredient,
    ServiceType,
)

PLACED = dt.datetime(2026, 1, 16, 18, 0, tzinfo=dt.UTC)
RAW = {"order_id": "FULL-1", "products": [{"id": "byo-burger", "price": 900}], "pick_up_code": "433"}


def eur(amount: str) -> Money:
    return Money(amount=Decimal(amount), currency="EUR")


def full_order(**fields) -> CanonicalOrder:
    """Burger 9.00 with fries 2.00 (no pickles), 2 salads 8.00 (no croutons) = 27.00;
    + delivery 3.99 + service 0.99 + bag 0.20 + small order 1.00 + pick and pack 0.30 + tip 2.00 − discount 1.48
    = 34.00; VAT unknown."""
    return CanonicalOrder(**{
        "channel_order_id": "FULL-1",
        "display_code": "F0107",
        "service_type": ServiceType.DELIVERY,
        "placed_at": PLACED,
        "scheduled_for": PLACED + dt.timedelta(hours=3),
        "scheduled_earliest": PLACED + dt.timedelta(hours=2, minutes=50),
        "scheduled_latest": PLACED + dt.timedelta(hours=3, minutes=10),
        "confirm_by": PLACED + dt.timedelta(hours=2),
        "estimates": Estimates(ready_at=PLACED + dt.timedelta(hours=2, minutes=45),
                               pickup_at=PLACED + dt.timedelta(hours=2, minutes=50),
                               dropoff_at=PLACED + dt.timedelta(hours=3, minutes=5)),
        "currency": "EUR",
        "customer": Customer(name="Alex M", phone="+34611222333"),
        "delivery_address": Address(street="Carrer de Pallars 190", unit="3B", city="Barcelona", postcode="08005",
                                    lat="41.4021", lng="2.1979", instructions="ring twice"),
        "notes": "no rush",
        "allergy_notes": "severe peanut allergy",
        "pickup_code": "433",
        "courier_code": "C-77",
        "cutlery_requested": False,
        "disposables_requested": True,
        "loyalty_code": "LOYAL-9",
        "lines": (
            OrderLine(sku="byo-burger", name="Build-your-own burger", quantity=1, unit_price=eur("9.00"),
                      notes="medium well", allergy_notes="clean grill", channel_line_id="i1",
                      removed=(RemovedIngredient(name="Pickles", sku="pickles", quantity=1),),
                      options=(OrderLine(sku="fries", name="Fries", quantity=1, unit_price=eur("2.00"),
                                         group="Choose a side"),)),
            OrderLine(sku="caesar", name="Caesar salad", quantity=2, unit_price=eur("8.00"),
                      removed=(RemovedIngredient(name="Croutons"),)),
        ),
        "amounts": OrderAmounts(
            subtotal=eur("27.00"), vat=None, prices_include_vat=None, total=eur("34.00"),
            delivery_fee=eur("3.99"), service_fee=eur("0.99"), bag_fee=eur("0.20"),
            small_order_surcharge=eur("1.00"), extra_fees=(Fee(name="pick_and_pack", amount=eur("0.30")),),
            tip=eur("2.00"), discount=eur("1.48"),
        ),
        "payments": (Payment(method=PaymentMethod.CASH, amount=eur("34.00"), prepaid=False, channel_method="CASH",
                             cash_to_collect=eur("34.00"), cash_tendered=eur("50.00")),),
        "channel_payload": RAW,
        **fields,
    })


def cancelled_by_customer() -> Cancellation:
    return Cancellation(by=CancelledBy.CUSTOMER, reason_code="USER_ERROR", reason="customer has cancelled",
                        cancelled_at=PLACED + dt.timedelta(minutes=5), products_paid=True,
                        payment_strategy="PAY_PRODUCTS")
