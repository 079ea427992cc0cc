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

KNOWN_GAPS: dict[str, str] = {}
