"""What the module does with each field the Sandbox Market sends (webhook bodies and tickets).

``IGNORED_FIELDS``: fields we deliberately do not read, each with the reason. ``KNOWN_GAPS``: fields the
module drops today although the market means something by them (defects to fix; each fix removes its line).
Paths as in ``ChannelModule.ignored_fields``.
"""

from __future__ import annotations

IGNORED_FIELDS: dict[str, str] = {
    "store_ref": "the store the event is for: the webhook URL carries the connection's own token, which already "
                 "names the store",
    "ticket.store_ref": "the ticket's store: the connection it arrived on is that store",
    "previous_state": "the state the ticket left: we take the state it is in, forward only",
}

KNOWN_GAPS: dict[str, str] = {
    "**.line_ref": "the market's id of a basket line is not kept (the canonical line has channel_line_id)",
}
