"""TheFork's words: reservation statuses both ways, and the webhook events.

Statuses, from the B2B reservation page ('Data - Get reservation details'): RECORDED "most frequent status,
reservation is confirmed"; CANCELED; NO_SHOW; REQUESTED "waiting for an action from the restaurant (on request
booking or Waitlist) - not confirmed yet"; REFUSED "final state if a requested reservation has been declined by
the restaurant"; REJECTED "general error on the reservation (should be rare)"; CONFIRMED is in the page's list
without words of its own. ARRIVED, SEATED and LEFT are TheFork Manager's meal statuses (POS API 'How it works':
"the restaurant marks the diner as ARRIVED or SEATED on TFM", "the status of the meal as LEFT"); only
third-party copies of the B2B schema list them on a reservation, so they are mapped rather than lost.

The only status we can post is a cancellation (``PATCH /v1/reservations/{id}/cancel``): the B2B pages document
no call to confirm, refuse, seat or mark a no-show.
"""

from __future__ import annotations

from canonical import OrderStatus
from integrations.channels.statuses import StatusMap

S = OrderStatus

RESERVATION_STATUSES = StatusMap(
    inbound={
        "REQUESTED": S.REQUESTED,
        "RECORDED": S.CONFIRMED,
        "CONFIRMED": S.CONFIRMED,
        "REFUSED": S.REJECTED,
        "REJECTED": S.REJECTED,  # an error, not the restaurant's refusal: the reservation will not happen either way
        "CANCELED": S.CANCELLED,
        "NO_SHOW": S.NO_SHOW,
        "ARRIVED": S.ARRIVED,
        "SEATED": S.SEATED,
        "LEFT": S.COMPLETED,
    },
    outbound={S.CANCELLED: "CANCELED"},
)

RESERVATION_CREATED = "reservationCreated"
RESERVATION_UPDATED = "reservationUpdated"
RESERVATION_EVENTS = frozenset({RESERVATION_CREATED, RESERVATION_UPDATED})
CUSTOMER_EVENTS = frozenset({"customerCreated", "customerUpdated"})
