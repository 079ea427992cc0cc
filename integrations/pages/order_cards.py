"""An order or reservation as the page shows it: contents, money, times, channel and what the channel said.

Display codes repeat across channels (two "A12" at 21:00 on two markets), so a card always names its
channel. A channel's business refusal of our last status (HTTP 409) is shown on the order it concerns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from canonical import OrderStatus, ServiceType
from integrations.models import SyncAttempt, SyncJob
from orders.models import Order, OrderLine

from .formatting import RestaurantLocale
from .health import BUSINESS_REFUSAL_CODES
from .order_actions import OrderAction, actions_for

SERVICE_WORDS = {
    ServiceType.DELIVERY: _("Delivery"),
    ServiceType.COLLECTION: _("Collection"),
    ServiceType.IN_SITU: _("Eat in"),
    ServiceType.RESERVATION: _("Reservation"),
}
STATUS_WORDS = {
    OrderStatus.RECEIVED: _("received"),
    OrderStatus.ACCEPTED: _("accepted"),
    OrderStatus.REJECTED: _("rejected"),
    OrderStatus.PREPARING: _("preparing"),
    OrderStatus.READY: _("ready"),
    OrderStatus.PICKED_UP: _("picked up"),
    OrderStatus.DELIVERED: _("delivered"),
    OrderStatus.CANCELLED: _("cancelled"),
    OrderStatus.REQUESTED: _("requested"),
    OrderStatus.CONFIRMED: _("confirmed"),
    OrderStatus.ARRIVED: _("arrived"),
    OrderStatus.SEATED: _("seated"),
    OrderStatus.COMPLETED: _("completed"),
    OrderStatus.NO_SHOW: _("no-show"),
}
DELIVERY_WORDS = {
    SyncJob.State.SUCCEEDED: _("reached the channel"),
    SyncJob.State.PENDING: _("sending…"),
    SyncJob.State.RUNNING: _("sending…"),
    SyncJob.State.FAILED: _("failed"),
    SyncJob.State.SUPERSEDED: _("replaced by a newer one"),
    SyncJob.State.CANCELLED: _("cancelled"),
}


@dataclass(frozen=True)
class JobLine:
    """One sync job in the restaurant's words: how far it got and, if it failed, why."""

    job: SyncJob

    @property
    def words(self) -> str:
        return str(DELIVERY_WORDS.get(self.job.state, self.job.state))

    @property
    def reason(self) -> str:
        """The channel's or platform's error, shortened to what fits on a phone."""
        error = (self.job.last_error or "").strip().splitlines()
        text = error[0] if error else ""
        return text if len(text) <= 160 else text[:157] + "…"

    @property
    def tone(self) -> str:
        if self.refused:
            return "bad"
        return {"succeeded": "ok", "failed": "bad"}.get(self.job.state, "wait")

    @property
    def refused(self) -> bool:
        """The channel answered and said no (a business refusal), rather than failing to answer."""
        return self.job.state == SyncJob.State.FAILED and refused_by_channel(self.job)


def refused_by_channel(job: SyncJob) -> bool:
    attempts = getattr(job, "last_attempts", None)
    if attempts is None:
        attempts = list(job.attempt_rows.order_by("-number")[:1])
    return bool(attempts) and attempts[0].status_code in BUSINESS_REFUSAL_CODES


@dataclass(frozen=True)
class LineRow:
    line: OrderLine
    depth: int  # 0 a product, 1 its option, 2 an option's option
    quantity: int  # a product's quantity; an option's per unit of its product ("2× Margherita, + Burrata" each)

    @property
    def removed(self) -> list[str]:
        return [str(item.get("name", "")) for item in self.line.removed or () if item.get("name")]


@dataclass(frozen=True)
class OrderCard:
    order: Order
    channel: str
    service: str
    placed: str
    total: str
    lines: list[LineRow]
    last_status: JobLine | None
    actions: list[OrderAction] = field(default_factory=list)
    reserved_for: str = ""  # reservations: the table's time

    @property
    def code(self) -> str:
        return self.order.display_code or self.order.channel_order_id or f"#{self.order.pk}"

    @property
    def status(self) -> str:
        return str(STATUS_WORDS.get(self.order.status, self.order.status))

    @property
    def sent_status(self) -> str:
        """The status our last job carried to the channel, in words."""
        if self.last_status is None:
            return ""
        sent = (self.last_status.job.payload.get("update") or {}).get("status", "")
        return str(STATUS_WORDS.get(sent, sent))

    @property
    def refusal(self) -> str:
        """The channel's words when it refused our last status for this order, else ""."""
        if self.last_status is not None and self.last_status.refused:
            return self.last_status.reason
        return ""


def with_contents(orders: QuerySet[Order]) -> QuerySet[Order]:
    """The queryset with what a card reads: channel, lines, status jobs and their last attempt."""
    attempts = SyncAttempt.objects.only("id", "job_id", "number", "status_code").order_by("-number")
    return orders.select_related("restaurant", "connection__channel").prefetch_related(
        Prefetch("lines", queryset=OrderLine.objects.order_by("position", "id"), to_attr="all_lines"),
        Prefetch(
            "sync_jobs",
            queryset=SyncJob.objects.filter(kind=SyncJob.Kind.ORDER_STATUS)
            .defer("result")
            .order_by("-created_at", "-id")
            .prefetch_related(Prefetch("attempt_rows", queryset=attempts, to_attr="last_attempts")),
            to_attr="status_jobs",
        ),
    )


def order_card(order: Order, locale: RestaurantLocale, now: datetime, *, can_act: bool) -> OrderCard:
    jobs = getattr(order, "status_jobs", None)
    if jobs is None:
        jobs = list(order.sync_jobs.filter(kind=SyncJob.Kind.ORDER_STATUS).order_by("-created_at", "-id")[:1])
    return OrderCard(
        order=order,
        channel=order.connection.channel.name if order.connection_id else str(_("Direct")),
        service=str(SERVICE_WORDS.get(order.service_type, order.get_service_type_display())),
        placed=locale.when(order.placed_at, now),
        total=locale.money(order.total_amount, order.currency),
        lines=_tree(order.all_lines if hasattr(order, "all_lines") else list(order.lines.order_by("position", "id"))),
        last_status=JobLine(jobs[0]) if jobs else None,
        actions=actions_for(order) if can_act else [],
        reserved_for=locale.when(order.reservation_at, now) if order.reservation_at else "",
    )


def _tree(lines: list[OrderLine]) -> list[LineRow]:
    """Products in order, each followed by its options (and theirs), indented."""
    children: dict[int | None, list[OrderLine]] = {}
    for line in lines:
        children.setdefault(line.parent_id, []).append(line)
    rows: list[LineRow] = []

    def walk(parent: OrderLine | None, depth: int) -> None:
        for line in children.get(parent.pk if parent else None, ()):
            rows.append(LineRow(line, min(depth, 2), _per_unit(line, parent)))
            walk(line, depth + 1)

    walk(None, 0)
    return rows


def _per_unit(line: OrderLine, parent: OrderLine | None) -> int:
    # An option line's quantity is its total in the order (orders.models.lines); the kitchen reads it per product.
    if parent is None or not parent.quantity or line.quantity % parent.quantity:
        return line.quantity
    return line.quantity // parent.quantity
