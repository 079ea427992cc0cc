"""What of TheFork's payloads the module leaves unread on purpose, each with the reason (the coverage document
shows them to TheFork). Paths start at the payload's root; the reservation GET, the customer GET and the webhook
share one list, so a name two of them use (``customFields``) is treated the same in both."""

from __future__ import annotations

IGNORED_FIELDS: dict[str, str] = {
    # reservation GET
    "customFields": "the restaurant's own labels in TheFork Manager (label/value pairs it defined itself, on the "
                    "reservation or the guest), not something the guest asked; kept in the raw copy",
    # customer GET
    "birthDate": "the guest's birth date: personal data the reservation does not need",
    "locale": "the guest's language: no canonical place; kept in the raw copy",
    "civility": "the guest's title (Mr, Ms): not part of the name we show; kept in the raw copy",
    "rank": "TheFork Manager's CRM rank of the guest: no canonical place; kept in the raw copy",
    "computedRank": "TheFork Manager's computed rank: no canonical place; kept in the raw copy",
    "isVip": "the restaurant's VIP flag on the guest: no canonical place; kept in the raw copy",
    "isPromoter": "a TheFork CRM flag: no canonical place",
    "address": "the guest's home address: a reservation is served at the restaurant, nothing is delivered",
    "city": "part of the guest's home address (see address)",
    "country": "part of the guest's home address (see address)",
    "zipcode": "part of the guest's home address (see address)",
    "favFood": "the restaurant's notes on the guest's tastes (CRM), not a request for this reservation; kept in "
               "the raw copy",
    "favDrinks": "as favFood",
    "favSeating": "as favFood: a standing preference, not this reservation's request (that is customerNote)",
    "notes": "the restaurant's own notes on the guest (CRM), not the guest's request for this reservation "
             "(customerNote); kept in the raw copy",
    "originRestaurantUuid": "where the guest's profile was first created: not this reservation's restaurant",
    "originRestaurantName": "as originRestaurantUuid",
    "creationDate": "when the guest's profile was created, not the reservation",
    "lastUpdateDate": "when the guest's profile last changed",
    "optins": "newsletter consent: marketing, not the reservation",
}

KNOWN_GAPS: dict[str, str] = {
    "offerUuid": "the offer the guest booked (a promotion off the bill, or a preset menu) has no place on the "
                 "canonical reservation yet: staff see it only in the raw copy (admin), not on the page or the POS API",
    "offerDetails": "the offer's kind and its discount percentage or preset-menu price: no canonical place yet (see "
                    "offerUuid); the restaurant needs it to bill the guest right",
}

