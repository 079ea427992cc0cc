"""What the restaurant status page shows, read in one place (views and the live fragment stay thin).

Per connection: health, open/paused/closed now, the last webhook and order, the last catalog publish
(the menu's, or an item marked out of stock) and its result, failing jobs with a readable reason.
Then what needs the manager (with what to do), the reservations, the recent orders with their
contents, and today's orders and takings per channel.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from canonical import OrderStatus, ServiceType
from integrations.inbound.attention import WAITING_PREFIX, WAITING_STATUSES
from integrations.models import Connection, SyncAttempt, SyncJob
from integrations.outbound.services.catalog import LANE as CATALOG_LANE
from orders.models import Order
from restaurants.models import Pause, Restaurant
from restaurants.opening import OpeningData, OpeningState, opening_state

from .formatting import RestaurantLocale
from .health import ConnectionHealth, connection_health
from .order_cards import DELIVERY_WORDS, JobLine, OrderCard, order_card, with_contents
from .takings import Today, today_per_channel

__all__ = ["DELIVERY_WORDS", "JobLine", "RestaurantStatus", "restaurant_status"]

RECENT_ORDERS = 10
FAILING_JOBS_SHOWN = 5
RESERVATIONS_SHOWN = 20
ATTENTION_SHOWN = 10
RESERVATIONS_LOOK_BACK = timedelta(hours=3)  # a table booked for 21:00 still matters at 23:00
CATALOG_KINDS = (SyncJob.Kind.CATALOG, SyncJob.Kind.CATALOG_ITEMS)
IN_FLIGHT = (SyncJob.State.PENDING, SyncJob.State.RUNNING)
OPEN_RESERVATION = (OrderStatus.REQUESTED, OrderStatus.CONFIRMED, OrderStatus.ARRIVED, OrderStatus.SEATED)


@dataclass(frozen=True)
class ConnectionCard:
    connection: Connection
    health: ConnectionHealth
    opening: OpeningState
    last_order: Order | None
    last_publish: JobLine | None
    failing: list[JobLine]
    attention: list[Order]
    channel_paused: bool = False
    paused_until: str = ""
    last_publish_when: str = ""


@dataclass(frozen=True)
class OrderRow:
    """Kept for readers of ``recent_orders``: the card, its order and our last status job."""

    card: OrderCard

    @property
    def order(self) -> Order:
        return self.card.order

    @property
    def last_status(self) -> JobLine | None:
        return self.card.last_status


@dataclass(frozen=True)
class AttentionItem:
    """Something the manager should look at, and the card that has the buttons to act on it."""

    why: str
    card: OrderCard | None = None
    connection_card: ConnectionCard | None = None
    failing: JobLine | None = None


@dataclass(frozen=True)
class RestaurantStatus:
    restaurant: Restaurant
    opening: OpeningState
    cards: list[ConnectionCard]
    recent_orders: list[OrderRow]
    generated_at: datetime = field(default_factory=timezone.now)
    reservations: list[OrderCard] = field(default_factory=list)
    attention: list[AttentionItem] = field(default_factory=list)
    today: Today | None = None
    locale: RestaurantLocale | None = None
    paused: bool = False  # the restaurant itself (every channel), so "Resume" has something to end
    updated: str = ""


def restaurant_status(
    restaurant: Restaurant, now: datetime | None = None, *, can_act: bool = False
) -> RestaurantStatus:
    now = now or timezone.now()
    locale = RestaurantLocale.of(restaurant)
    opening = opening_state(restaurant, now, data=OpeningData.load(restaurant, around=now))
    connections = Connection.objects.filter(restaurant=restaurant).select_related("channel")
    cards = [_card(connection, opening, now, locale) for connection in connections]
    recent = [OrderRow(order_card(order, locale, now, can_act=can_act)) for order in _recent_orders(restaurant)]
    reservations = [order_card(order, locale, now, can_act=can_act) for order in _reservations(restaurant, now)]
    return RestaurantStatus(
        restaurant, opening, cards, recent, now,
        reservations=reservations,
        attention=_attention(restaurant, cards, recent, locale, now, can_act),
        today=today_per_channel(restaurant, locale, now),
        locale=locale,
        paused=Pause.objects.filter(restaurant=restaurant).active(now).exists(),
        updated=locale.local(now).strftime("%H:%M:%S"),
    )


def _card(connection: Connection, opening: OpeningState, now: datetime, locale: RestaurantLocale) -> ConnectionCard:
    # The cards show state, target and error: never the payload (a catalog job carries the whole catalog,
    # megabytes for a large restaurant, and the page refreshes every few seconds).
    jobs = SyncJob.objects.filter(connection=connection).defer("payload", "result")
    # Both queries are shaped for an index: without it, a healthy connection (no catalog job, nothing failing)
    # made PostgreSQL walk every job of every connection backwards by date (bench 5: 50-70 ms each at 100,000
    # jobs, growing with the table). Catalog jobs always run in the catalog lane (services.catalog), so the
    # lane index finds them; failing jobs are found through the state index.
    last_publish = (
        jobs.filter(ordering_key=CATALOG_LANE, kind__in=CATALOG_KINDS).exclude(state=SyncJob.State.SUPERSEDED).first()
    )
    # A connection's orders are its restaurant's: the (restaurant, placed_at) index finds the newest at once.
    orders = connection.orders.filter(restaurant_id=connection.restaurant_id, is_test=False)  # not a validation's
    # Failing: given up on, or still retrying after an error.
    failing = jobs.filter(state__in=(SyncJob.State.FAILED, *IN_FLIGHT)).filter(
        Q(state=SyncJob.State.FAILED) | (Q(state__in=IN_FLIGHT, attempts__gt=0) & ~Q(last_error=""))
    ).prefetch_related(_last_attempt())
    # A refusal of an order's status is the order's news (shown on it), not a fault of the connection.
    faults = [JobLine(job) for job in failing.order_by("-created_at", "-id")[: FAILING_JOBS_SHOWN * 4]]
    faults = [line for line in faults if not (line.refused and line.job.kind == SyncJob.Kind.ORDER_STATUS)]
    channel_paused = connection.is_channel_paused(now)
    return ConnectionCard(
        connection=connection,
        channel_paused=channel_paused,
        paused_until=locale.when(connection.channel_paused_until, now) if channel_paused else "",
        health=connection_health(connection, now, locale.timezone),
        opening=opening,
        last_order=orders.order_by("-placed_at", "-id").first(),
        last_publish=JobLine(last_publish) if last_publish else None,
        last_publish_when=locale.when(last_publish.created_at, now) if last_publish else "",
        failing=faults[:FAILING_JOBS_SHOWN],
        attention=list(orders.filter(needs_attention=True).order_by("-placed_at")[:5]),
    )


def _last_attempt() -> Prefetch:
    attempts = SyncAttempt.objects.only("id", "job_id", "number", "status_code").order_by("-number")
    return Prefetch("attempt_rows", queryset=attempts, to_attr="last_attempts")


def _recent_orders(restaurant: Restaurant) -> list[Order]:
    orders = (
        Order.objects.filter(restaurant=restaurant, is_test=False)  # a validation run's test orders are not theirs
        .exclude(service_type=ServiceType.RESERVATION)  # reservations have their own list
        .order_by("-placed_at", "-id")
    )
    return list(with_contents(orders)[:RECENT_ORDERS])


def _reservations(restaurant: Restaurant, now: datetime) -> list[Order]:
    """Tables still to come (or still seated), soonest first; requests first of all, they wait for an answer."""
    reservations = Order.objects.filter(
        restaurant=restaurant, is_test=False, service_type=ServiceType.RESERVATION, status__in=OPEN_RESERVATION,
    ).filter(Q(reservation_at__isnull=True) | Q(reservation_at__gte=now - RESERVATIONS_LOOK_BACK))
    return list(with_contents(reservations.order_by("reservation_at", "id"))[:RESERVATIONS_SHOWN])


def _attention(restaurant: Restaurant, cards: list[ConnectionCard], recent: list[OrderRow],
               locale: RestaurantLocale, now: datetime, can_act: bool) -> list[AttentionItem]:
    items: list[AttentionItem] = []
    flagged = with_contents(
        Order.objects.filter(restaurant=restaurant, is_test=False, needs_attention=True).order_by("-placed_at", "-id")
    )[:ATTENTION_SHOWN]
    seen = set()
    for order in flagged:
        card = order_card(order, locale, now, can_act=can_act)
        items.append(AttentionItem(_attention_words(card, locale), card=card))
        seen.add(order.pk)
    for row in recent:
        if row.card.refusal and row.order.pk not in seen:
            items.append(AttentionItem(_("the channel refused our last status"), card=row.card))
    for connection_card in cards:
        for line in connection_card.failing:
            items.append(AttentionItem(line.reason or line.words, connection_card=connection_card, failing=line))
    return items


def _attention_words(card: OrderCard, locale: RestaurantLocale) -> str:
    """Why the order needs the manager: the waiting flag in the reader's words, any other reason as staff wrote it."""
    order = card.order
    if order.attention_reason.startswith(WAITING_PREFIX) and order.status in WAITING_STATUSES:
        return _("nobody has acted on it: still %(status)s since %(time)s") % {
            "status": card.status, "time": locale.clock(order.placed_at)}
    return order.attention_reason or _("check this order")
