"""Today's orders and takings per channel, and the bars of the page's small chart (plain SVG, drawn here).

"Today" is the restaurant's day (its timezone). Reservations are not orders and validation test
orders are not the restaurant's; rejected and cancelled orders count as orders but take nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from canonical import OrderStatus, ServiceType
from orders.models import Order
from restaurants.models import Restaurant

from .formatting import RestaurantLocale

NOT_TAKEN = (OrderStatus.REJECTED, OrderStatus.CANCELLED)
CHART_WIDTH = 320
ROW_HEIGHT = 38  # a line of words (channel, takings, orders) above its bar
BAR_TOP = 16
BAR_HEIGHT = 14


@dataclass(frozen=True)
class ChannelDay:
    channel: str
    orders: int
    takings: Decimal
    takings_text: str
    bar_width: int  # px, of CHART_WIDTH
    y: int


@dataclass(frozen=True)
class Today:
    rows: list[ChannelDay]
    orders: int
    takings_text: str
    day: str

    @property
    def chart_height(self) -> int:
        return max(1, len(self.rows)) * ROW_HEIGHT

    @property
    def chart_width(self) -> int:
        return CHART_WIDTH

    @property
    def bar_top(self) -> int:
        return BAR_TOP

    @property
    def bar_height(self) -> int:
        return BAR_HEIGHT


def today_per_channel(restaurant: Restaurant, locale: RestaurantLocale, now: datetime) -> Today:
    start = datetime.combine(locale.local(now).date(), time.min, tzinfo=locale.timezone)
    rows = (
        Order.objects.filter(restaurant=restaurant, is_test=False, placed_at__gte=start, placed_at__lte=now)
        .exclude(service_type=ServiceType.RESERVATION)
        .values("connection__channel__name")
        .annotate(orders=Count("id"), takings=Sum("total_amount", filter=~Q(status__in=NOT_TAKEN)))
        .order_by("connection__channel__name")
    )
    figures = [(row["connection__channel__name"] or _("Direct"), row["orders"], row["takings"] or Decimal(0))
               for row in rows]
    most = max((takings for _name, _count, takings in figures), default=Decimal(0))
    room = CHART_WIDTH - 2
    days = [
        ChannelDay(name, count, takings, locale.money(takings),
                   max(2, int(room * takings / most)) if most else 2, index * ROW_HEIGHT)
        for index, (name, count, takings) in enumerate(figures)
    ]
    total = sum((row.takings for row in days), Decimal(0))
    return Today(days, sum(row.orders for row in days), locale.money(total), locale.day(now))
