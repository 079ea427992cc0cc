"""What the module does with each field Deliveroo sends that it does not translate.

``IGNORED_FIELDS``: known fields we deliberately do not read, each with the reason (printed in the coverage
document). ``KNOWN_GAPS``: fields Deliveroo means something by that the canonical order has no place for
yet; they stay visible in the coverage document and the kit fails once one is read. Paths start at the
webhook body's root (``[]`` list items, ``**`` any depth).
"""

from __future__ import annotations

IGNORED_FIELDS: dict[str, str] = {
    "body.order.order_number": "a second, longer number of the same order: display_id is the one the tablet, "
                               "the rider and the customer use, id the one the API takes",
    "body.order.location_id": "the site's own POS location id, echoed: the webhook URL already names the connection",
    "body.order.partner_order_total": "the partner's total, equal to total_price in every documented example; the "
                                      "customer's total_price is the order's total",
    "body.order.partner_order_subtotal": "the partner's subtotal (the items after the offer); the canonical subtotal "
                                          "is the lines' value and the offer is the order's discount",
    "body.order.items[].operational_name": "the kitchen's name of the same item ('The Chicken Burger (Burgers)'); "
                                           "name is kept",
    "body.order.items[].unit_price": "what was charged per unit after the offer: the line keeps menu_unit_price and "
                                     "the offer is the order's discount (offer_discount)",
    "body.order.items[].total_price": "unit_price × quantity, after the offer: the line's total is computed from "
                                      "menu_unit_price, the offer is the order's discount",
    "body.order.items[].modifiers[].operational_name": "the kitchen's name of the same modifier; name is kept",
    "body.order.items[].modifiers[].unit_price": "as for items: the option keeps menu_unit_price",
    "body.order.items[].modifiers[].total_price": "as for items: computed from menu_unit_price",
    "body.order.items[].modifiers[].discount_amount": "an offer on a modifier is inside offer_discount",
    "body.stacked_with": "other orders the same rider carries (deprecated by Deliveroo for delivery_stack); the "
                         "canonical courier update has no place for them",
    "body.riders[].accuracy_in_meters": "how precise the rider's position is; the position is kept as sent",
    "body.brand_id": "the brand of the uploaded menu (Menu webhook): the webhook URL names the connection and the "
                     "menu id the upload",
}

KNOWN_GAPS: dict[str, str] = {
    "body.order.start_preparing_at": "when the kitchen should start preparing: the canonical order has no "
                                     "preparation-start instant (confirm_at, before it, is kept as confirm_by; "
                                     "prepare_for as the ready estimate)",
}
