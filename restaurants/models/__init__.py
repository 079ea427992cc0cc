"""Restaurants: the selling point and when it sells.

Split by job: who the restaurant is (``restaurant``), when it sells regularly
and by exception (``schedule``), and when staff stopped it selling (``pause``).
"""

from restaurants.models.pause import Pause
from restaurants.models.restaurant import Restaurant, RestaurantMember, ServiceAvailability, ServiceType
from restaurants.models.schedule import CalendarException, ScheduleRange, Weekday

__all__ = [
    "CalendarException",
    "Pause",
    "Restaurant",
    "RestaurantMember",
    "ScheduleRange",
    "ServiceAvailability",
    "ServiceType",
    "Weekday",
]
