"""Outbound services: change the domain and record the sync jobs in the same transaction.

Each concern has its own file; import them from here.
"""

from .availability import (
    ChannelCannotPause,
    pause_channel,
    pause_restaurant,
    resume_channel,
    resume_restaurant,
    set_opening_hours,
)
from .catalog import publish_catalog, snooze, unsnooze
from .driver_location import report_driver_location
from .order_status import accept_again, change_order_status

__all__ = [
    "ChannelCannotPause",
    "accept_again",
    "change_order_status",
    "pause_channel",
    "pause_restaurant",
    "publish_catalog",
    "report_driver_location",
    "resume_channel",
    "resume_restaurant",
    "set_opening_hours",
    "snooze",
    "unsnooze",
]
