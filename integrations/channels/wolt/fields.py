"""What the module does with each field Wolt sends (notification bodies and ``GET /v2/orders/{orderId}``).

``IGNORED_FIELDS``: fields we deliberately do not read, each with the reason. ``KNOWN_GAPS``: none today. A
non-null ``cash_payment`` makes the order a cash order (its inner fields are not shown by the stored pages, so
the amount to collect is not read: docs/channels/wolt.md §5). Paths as in ``ChannelModule.ignored_fields``.
"""

from __future__ import annotations

IGNORED_FIELDS: dict[str, str] = {
    "order.resource_url": "documented as allowing 'to poll an outdated order payload': the module fetches the "
                          "current one, GET /v2/orders/{order.id}, as the same page allows",
    "venue": "the venue the order belongs to: we fetched it for the connection, which is that venue",
    "modified_at": "when Wolt last changed its record of the order; order_status and the notifications say what "
                   "changed",
    "attribution_id": "the marketing source of the consumer (a merchant campaign id); nothing the kitchen or the "
                      "counter acts on",
    "pre_order.pre_order_status": "whether the venue confirmed the pre-order, which order_status (ACKNOWLEDGED) "
                                  "also says and which we read",
    "delivery.status": "the delivery's own progress as Wolt words it; order_status and the courier "
                       "notifications carry what the restaurant acts on",
    "delivery.location.formatted_address": "the same address as one display line; we keep its parts "
                                           "(street_address, apartment, city) and the coordinates",
    "delivery.location.country": "the venue's own country: a Wolt order is delivered within the venue's city",
    "fees.price_breakdown": "the fees before and after Wolt's fee discounts and who bears them; what the customer "
                            "pays for fees is fees.total, which we keep",
    "fees.parts": "the fees one by one, in a shape the stored documentation does not show; their sum is "
                  "fees.total, which we keep as one fee",
    "items[].item_type": "the kind of item Wolt lists it as; every item is a line",
    "items[].sku": "the retail SKU Wolt keeps for the item; our own id comes back as pos_id, which we read",
    "items[].gtin": "the barcode Wolt keeps for a retail item; our own id comes back as pos_id, which we read",
    "items[].category": "the menu category the item was ordered from; the kitchen needs the item, not its section",
    "items[].is_bundle_offer": "whether the item was sold in a bundle offer; its price is what the customer paid",
    "items[].item_price.total": "the line after its share of the discounts: the canonical line is priced before "
                                "discounts (unit_price × count) and the basket's discount is kept once",
    "items[].item_price.price_breakdown": "the item's share of the basket's discounts, whose sum "
                                          "(basket_price.price_breakdown.total_discounts) we keep",
    "items[].options[].pos_id": "our id of the option group, echoed from the menu; each option line keeps the "
                                "group by the name the kitchen reads",
}

KNOWN_GAPS: dict[str, str] = {}
