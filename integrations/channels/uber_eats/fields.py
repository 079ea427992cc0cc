"""What the module does with each field Uber sends (webhook bodies and ``GET /v2/eats/order/{id}``).

``IGNORED_FIELDS``: fields we deliberately do not read, each with the reason. ``KNOWN_GAPS``: fields the
module drops today although Uber means something by them (docs/channels/uber_eats.md §4 has the finding
behind each); they are defects to fix, not choices, and each fix removes its line. Paths as in
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
    "**.selected_items[].default_quantity": "how many of a chosen option the menu preselects; what was chosen "
                                            "is its `quantity`",
}

KNOWN_GAPS: dict[str, str] = {
    # webhook body
    "resource_href": "the GET URL is rebuilt from meta.resource_id instead of followed; stores on Uber's newer "
                     "order API get another URL (uber_eats.md §5.12)",
    # order
    "brand": "UBER_EATS or POSTMATES is dropped (§4.23)",
    "external_reference_id": "our own reference echoed by Uber is dropped (§4.23)",
    "eaters": "group-order participants are dropped (§4.23)",
    "cart.items[].eater_id": "which participant of a group order a line is for is dropped (§4.23)",
    "cart.items[].instance_id": "Uber's id of the cart line is dropped",
    "estimated_ready_for_pickup_at": "the ready estimate is lost on pickup, dine-in and scheduled orders (§4.12)",
    "eater.delivery.location": "the address is read from address_1/address_2/city/postal_code; Uber's Location "
                               "has street_address, unit_number, business_name, title, type (§4.1)",
    "eater.delivery.type": "door / curbside / leave at door is dropped (§4.2)",
    "**.price.base_unit_price": "the price without options is not read; unit_price (options included) is used "
                                "and the options added again (§4.3)",
    "**.price.base_total_price": "the line total without options is not read (§4.3)",
    "**.price.total_price": "the line total as Uber computed it is not read (§4.3)",
    "**.selected_modifier_groups[].id": "the option group is dropped",
    "**.selected_modifier_groups[].title": "the option group's name is dropped",
    "**.removed_items": "removed ingredients ('no croutons') are dropped (§4.4)",
    "**.selected_items[].id": "the SKU is taken from external_data when it is set; Uber's item id is the "
                              "store's id (§4.5)",
    "cart.items[].special_requests": "allergy requests are dropped (§4.6)",
    "packaging": "the disposable-items (packaging) request is dropped (§4.13)",
    "payment.charges.delivery_fee": "the delivery fee is read from total_fee (§4.8)",
    "payment.charges.delivery_fee_tax": "the delivery fee's tax is dropped (§4.8)",
    "payment.charges.total_fee_tax": "the tax on fees is dropped",
    "payment.charges.bag_fee": "the bag fee is dropped (§4.10)",
    "payment.charges.small_order_fee": "the small-order fee is dropped (§4.10)",
    "payment.charges.pick_and_pack_fee": "the pick-and-pack fee is dropped (§4.10)",
    "payment.charges.cash_amount_due": "cash to collect on merchant-delivered orders is dropped; every order is "
                                       "stored as prepaid online (§4.10)",
    "payment.charges.marketplace_fee_due_to_uber": "the fee a merchant courier collects for Uber is dropped (§4.10)",
    "payment.charges.sub_total_promo_applied": "the promotion is read from total_promo_applied, a total (§4.9)",
    "payment.charges.tax_promo_applied": "the tax after promotions is dropped (§4.9)",
    "payment.promotions": "who funds a promotion and how much is dropped (§4.9)",
    "deliveries[].estimated_pickup_time": "the courier's pickup estimate is replaced by the ready estimate (§4.11)",
    "deliveries[].id": "the courier's id is dropped (§4.23)",
    "deliveries[].phone": "the courier's phone is dropped (§4.23)",
    "deliveries[].phone_code": "the courier's phone code is dropped (§4.23)",
    "deliveries[].picture_url": "the courier's picture is dropped (§4.23)",
    "deliveries[].vehicle": "the courier's vehicle is dropped (§4.23)",
    "eater.tax_profile": "the eater's tax profile is dropped (§4.23)",
}
