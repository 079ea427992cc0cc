"""What the module does with each field Uber sends (webhook bodies and ``GET /v2/eats/order/{id}``).

``IGNORED_FIELDS``: fields we deliberately do not read, each with the reason. ``KNOWN_GAPS``: fields Uber
means something by that the module cannot keep today because the canonical order has no place for them
(docs/channels/uber_eats.md has the finding behind each); the order's raw copy (``channel_payload``, shown in
admin) still holds them, and each line goes once the canonical side has the field. Paths as in
``ChannelModule.ignored_fields`` (``[]`` list items, ``**`` any depth).
"""

from __future__ import annotations

IGNORED_FIELDS: dict[str, str] = {
    "**.formatted_amount": "display text of an amount we read exactly from its `amount` (minor units)",
    "meta.status": "the notification's channel ('pos' for POS integrations); says nothing about the order",
    "meta.user_id": "the store the event is for: the webhook URL carries the connection's own token, which "
                    "already names the store",
    "store": "the store the order belongs to: we fetched it for the connection, which is that store",
    "order_manager_client_id": "the (masked) client id of Uber's order-manager app; nothing for the restaurant",
    "external_reference_id": "our own order reference, which Uber only echoes back: we hold it already",
    "**.selected_items[].default_quantity": "how many of a chosen option the menu preselects; what was chosen "
                                            "is its `quantity`",
    "**.price.unit_price": "includes the selected options: a line takes `base_unit_price` and each option is a "
                           "child line with its own, so reading it as well would count the options twice",
    "**.price.total_price": "unit_price × quantity (options included): the canonical line computes it from "
                            "the base prices, quantities and options",
    "**.price.base_total_price": "base_unit_price × quantity: the canonical line computes it",
    "**.removed_items[].price": "a removed option is charged nothing (Uber's example: quantity 0, price 0)",
    "**.removed_items[].quantity": "0 for a removed option; how many the item would have had is its "
                                   "`default_quantity`, which we read",
    "**.external_data": "free-form metadata the store supplied with its menu (our menu upload writes the SKU "
                        "there, which the item's `id` already is); the raw order keeps it",
    "**.selected_modifier_groups[].id": "the option group's menu id; each option line keeps its group by the "
                                        "name the kitchen reads (`title`), the raw order keeps the id",
    "eater.delivery.location.title": "the address's first line as the eater typed it, part of `street_address` "
                                     "(the full formatted address), which we keep whole",
    "deliveries[].id": "Uber's id of the courier's trip; nothing the restaurant acts on",
}

KNOWN_GAPS: dict[str, str] = {
    "eater.tax_profile": "the eater's tax profile (invoicing): Customer.invoicing is its place, but the stored "
                         "copies of [GET] name the object without its fields, so no mapping can be written from "
                         "the docs (§4.23); the raw order keeps it",
    "payment.promotions": "each merchant-funded promotion (id, type, percentage, who funds it): the canonical "
                          "order keeps only the discount, read from sub_total_promo_applied (§4.9)",
}
