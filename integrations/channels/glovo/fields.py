"""What the module does with each field Glovo sends (order and cancellation notifications).

``IGNORED_FIELDS``: fields we deliberately do not read, each with the reason. ``KNOWN_GAPS``: fields the
module drops today although Glovo means something by them (docs/channels/glovo.md §4 has the finding behind
each); they are defects to fix, not choices, and each fix removes its line. Paths as in
``ChannelModule.ignored_fields`` (``[]`` list items, ``**`` any depth).
"""

from __future__ import annotations

IGNORED_FIELDS: dict[str, str] = {
    "store_id": "our own store id, echoed: the webhook URL carries the connection's own token, which already "
                "names the store",
}

KNOWN_GAPS: dict[str, str] = {
    "pick_up_code": "the code a courier or customer gives at the counter is never stored (§4.1)",
    "cutlery_requested": "the cutlery request is dropped (§4.3)",
    "loyalty_card": "the customer's loyalty card is dropped (§4.3)",
    "bundled_orders": "orders delivered together by one courier are not linked (§4.3)",
    "customer.hash": "the customer's id is dropped (§4.3)",
    "customer.invoicing_details": "the customer's invoicing details are dropped (§4.3)",
    "products[].purchased_product_id": "the line id needed to modify the order is dropped (§4.3)",
    "service_fee": "the service fee is dropped (§4.3)",
    "minimum_basket_surcharge": "the small-order surcharge is dropped (§4.3)",
    "customer_cash_payment_amount": "the cash the customer pays with is dropped (§4.3, §4.5)",
    "total_customer_to_pay": "the customer's total is computed as products − discount + delivery fee instead "
                             "of read (§4.7)",
    "partner_discounted_products_total": "the products' value after partner discounts is dropped (§4.7)",
    "cancel_reason": "a cancellation's reason is dropped; only its presence is looked at (§4.4)",
    "payment_strategy": "whether Glovo pays for the products of a cancelled order is dropped (§4.4)",
}
