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
    "bundled_orders": "orders 'to be delivered together by a single courier' are not linked: the canonical order "
                      "has no place for them yet (they stay in the stored raw notification) (§4.3)",
    "customer.hash": "the customer's 'unique identifier' is dropped: the canonical customer has no channel id yet "
                     "(it stays in the stored raw notification) (§4.3)",
    "customer.invoicing_details": "the company to invoice (name, address, tax id) is dropped: the canonical order "
                                  "has no place for it yet (it stays in the stored raw notification) (§4.3)",
}
