"""What the restaurant status page shows, read in one place (views and the live fragment stay thin).

Per connection: health, open/paused/closed now, the last webhook and order,
the last catalog publish and its result, failing jobs with a readable reason,
and orders needing attention. Then the recent orders, with our status, the
channel's status and whether our last status reached the channel.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Prefetch, Q
from django.utils import timezone

from integrations.models import Connection, SyncJob
from integrations.outbound.services.catalog import LANE as CATALOG_LANE
from orders.models import Order
from restaurants.models import Restaurant
from restaurants.opening import OpeningData, OpeningState, opening_state

from .health import ConnectionHealth, connection_health

RECENT_ORDERS = 10
FAILING_JOBS_SHOWN = 5
CATALOG_KINDS = (SyncJob.Kind.CATALOG, SyncJob.Kind.CATALOG_ITEMS)
IN_FLIGHT = (SyncJob.State.PENDING, SyncJob.State.RUNNING)

# How the page words a job's state, from the restaurant's side.
DELIVERY_WORDS = {
    SyncJob.State.SUCCEEDED: "reached the channel",
    SyncJob.State.PENDING: "sending…",
    SyncJob.State.RUNNING: "sending…",
    SyncJob.State.FAILED: "failed",
    SyncJob.State.SUPERSEDED: "replaced by a newer one",
    SyncJob.State.CANCELLED: "cancelled",
}


@dataclass(frozen=True)
class JobLine:
    job: SyncJob

    @property
    def words(self) -> str:
        return DELIVERY_WORDS.get(self.job.state, self.job.state)

    @property
    def reason(self) -> str:
        """The channel's or platform's error, shortened to what fits on a phone."""
        error = (self.job.last_error or "").strip().splitlines()
        text = error[0] if error else ""
        return text if len(text) <= 160 else text[:157] + "…"

    @property
    def tone(self) -> str:
        return {"succeeded": "ok", "failed": "bad"}.get(self.job.state, "wait")


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


@dataclass(frozen=True)
class OrderRow:
    order: Order
    last_status: JobLine | None


@dataclass(frozen=True)
class RestaurantStatus:
    restaurant: Restaurant
    opening: OpeningState
    cards: list[ConnectionCard]
    recent_orders: list[OrderRow]
    generated_at: datetime = field(default_factory=timezone.now)


def restaurant_status(restaurant: Restaurant, now: datetime | None = None) -> RestaurantStatus:
    now = now or timezone.now()
    opening = opening_state(restaurant, now, data=OpeningData.load(restaurant, around=now))
    connections = Connection.objects.filter(restaurant=restaurant).select_related("channel")
    cards = [_card(connection, opening, now) for connection in connections]
    return RestaurantStatus(restaurant, opening, cards, _recent_orders(restaurant), now)


def _card(connection: Connection, opening: OpeningState, now: datetime) -> ConnectionCard:
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
    )
    return ConnectionCard(
        connection=connection,
        channel_paused=connection.is_channel_paused(now),
        health=connection_health(connection, now),
        opening=opening,
        last_order=orders.order_by("-placed_at", "-id").first(),
        last_publish=JobLine(last_publish) if last_publish else None,
        failing=[JobLine(job) for job in failing.order_by("-created_at", "-id")[:FAILING_JOBS_SHOWN]],
        attention=list(orders.filter(needs_attention=True).order_by("-placed_at")[:5]),
    )


def _recent_orders(restaurant: Restaurant) -> list[OrderRow]:
    orders = (
        Order.objects.filter(restaurant=restaurant, is_test=False)  # a validation run's test orders are not theirs
        .select_related("connection__channel")
        .prefetch_related(
            Prefetch(
                "sync_jobs",
                queryset=SyncJob.objects.filter(kind=SyncJob.Kind.ORDER_STATUS).order_by("-created_at", "-id"),
                to_attr="status_jobs",
            )
        )
        .order_by("-placed_at", "-id")[:RECENT_ORDERS]
    )
    return [OrderRow(order, JobLine(order.status_jobs[0]) if order.status_jobs else None) for order in orders]
