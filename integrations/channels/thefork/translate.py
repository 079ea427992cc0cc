"""TheFork's reservation (``GET /v1/reservations/{id}``) and its customer (``GET /v1/customers/{id}``) as a
canonical reservation.

What each field means (B2B pages 'Data - Get reservation details' and 'Data - Get customer details'):
``partySize`` "Number of person attending to the reservation" → diners; ``mealDate`` "Reservation meal date"
(a UTC instant in the example) → reservation_at; ``customerNote`` "Special request field that the diner can
enter while making the reservation" → notes; the customer's ``allergiesAndIntolerances`` and
``dietaryRestrictions`` → allergy notes (the kitchen's, kept apart from the request); the guest's name, phone
(``secondaryPhone`` when there is no ``phone``), email and uuid. A reservation carries no money and no creation
time: the total is zero in the connection's currency (nothing is paid through TheFork) and the reservation is
dated by when it was fetched. What is left unread is in ``fields.py`` with its reason.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from canonical import CanonicalOrder, Customer, Money, OrderAmounts, ServiceType

from .vocabulary import RESERVATION_STATUSES


def _instant(value: str) -> datetime:
    instant = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if instant.tzinfo is None:
        raise ValueError(f"mealDate {value!r} has no offset")
    return instant.astimezone(UTC)


def _words(values: Any) -> list[str]:
    return [str(value).strip() for value in values or () if str(value).strip()]


def customer_to_canonical(data: dict[str, Any] | None) -> tuple[Customer, str]:
    """The guest, and their allergy notes (allergies and intolerances, dietary restrictions) for the kitchen."""
    if not data:
        return Customer(), ""
    name = " ".join(part for part in (str(data.get("firstName") or "").strip(),
                                      str(data.get("lastName") or "").strip()) if part)
    # One phone on the canonical guest: the main one, else the second (both stay in the raw copy).
    phone, second_phone = data.get("phone"), data.get("secondaryPhone")
    customer = Customer(
        name=name,
        phone=str(phone or second_phone or ""),
        email=str(data.get("email") or ""),
        channel_customer_id=str(data.get("customerUuid") or ""),
    )
    notes = []
    allergies = _words(data.get("allergiesAndIntolerances"))
    if allergies:
        notes.append("Allergies and intolerances: " + ", ".join(allergies))
    diet = _words(data.get("dietaryRestrictions"))
    if diet:
        notes.append("Dietary restrictions: " + ", ".join(diet))
    return customer, ". ".join(notes)


def reservation_to_canonical(
    data: dict[str, Any],
    customer: dict[str, Any] | None,
    currency: str,
    *,
    fetched_at: datetime,
    raw: dict[str, Any],
    raw_customer: dict[str, Any] | None,
) -> CanonicalOrder:
    """``data`` (and ``customer``) as tracked views; ``raw`` / ``raw_customer`` the plain responses, kept whole."""
    code = str(data["status"])
    guest, allergy_notes = customer_to_canonical(customer)
    return CanonicalOrder(
        channel_order_id=str(data["reservationUuid"]),
        service_type=ServiceType.RESERVATION,
        status=RESERVATION_STATUSES.to_canonical(code, ServiceType.RESERVATION),
        channel_status=code,
        placed_at=fetched_at,
        diners=int(data["partySize"]),
        reservation_at=_instant(str(data["mealDate"])),
        currency=currency,
        customer=guest,
        notes=str(data.get("customerNote") or ""),
        allergy_notes=allergy_notes,
        amounts=OrderAmounts(subtotal=Money(amount=0, currency=currency), total=Money(amount=0, currency=currency),
                             prices_include_vat=None),
        channel_payload={"reservation": raw, "customer": raw_customer},
    )


def restaurant_of(data: dict[str, Any]) -> str:
    return str(data.get("restaurantUuid") or "")
