"""The channel door: the few services through which what a channel says reaches an order.

The integration layer parses webhooks, fetches and maps codes; what an order
then does with the news (exist once, move forward only, take each report
once, remember when it last heard from its channel) is decided here, once,
for every way a channel's word comes in: a webhook, a fetched snapshot, a
reconciliation poll.

Nothing here imports ``integrations``: a connection comes in as the two ids an
order keeps of it (``ChannelLink``), so the domain never learns what a channel is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from canonical import Cancellation, CanonicalOrder, CourierUpdate, OrderRef, OrderStatus, ServiceType
from canonical.state_machine import decide

from .couriers import already_taken, record_courier_update
from .intake import cancellation_of, codes_of, create_order, estimates_of
from .models import Delivery, Order, StatusChange, StatusSource
from .status import apply_status


@dataclass(frozen=True)
class ChannelLink:
    """The connection an order came through, as orders know it: its id and its restaurant's."""

    connection_id: int
    restaurant_id: int


def find_order(connection_id: int, channel_order_id: str) -> Order | None:
    """Our order for the channel's id on that connection (the pair the database holds unique), or None."""
    return Order.objects.filter(connection_id=connection_id, channel_order_id=channel_order_id).first()


def take_order(
    link: ChannelLink,
    canonical: CanonicalOrder,
    *,
    correlation_id: str = "",
    occurred_at: datetime | None = None,
    is_test: bool = False,
) -> tuple[Order, bool]:
    """The order for ``canonical`` on ``link``: created with everything it carries if new, else it takes the news.

    Returns ``(order, created)``. An order we have only takes a status further
    along its flow: its lines, amounts and customer are what the channel sent
    first, and a late, thin snapshot never moves it back. What a later
    snapshot says that changes as the order goes (the channel's raw order,
    estimates, handover codes, confirm-by, a cancellation) is taken when it
    says it (``_refresh``); what it leaves out is kept. Two workers racing
    on one new order create it once: the loser's insert fails (PostgreSQL makes
    it wait for the winner's commit) and it carries on with the winner's row,
    locked. Runs in the caller's transaction when there is one, so the order
    and the caller's bookkeeping commit together. ``is_test`` (a validation
    run's own order) marks the order when it is created here, and marks it
    when it exists already: a test order stays one whoever took it first.
    """
    occurred_at = occurred_at or timezone.now()
    with transaction.atomic():
        existing = _locked(link.connection_id, canonical.channel_order_id)
        if existing is None:
            try:
                with transaction.atomic():  # a savepoint: losing the race must not break the caller's transaction
                    order = create_order(
                        canonical,
                        connection_id=link.connection_id,
                        restaurant_id=link.restaurant_id,
                        correlation_id=correlation_id,
                        occurred_at=occurred_at,
                        is_test=is_test,
                    )
                return order, True
            except IntegrityError:
                existing = _locked(link.connection_id, canonical.channel_order_id)
                if existing is None:
                    raise
        if is_test and not existing.is_test:
            Order.objects.filter(pk=existing.pk).update(is_test=True)
            existing.is_test = True
        _refresh(existing, canonical)
        take_channel_status(
            existing,
            canonical.status,
            channel_status=canonical.channel_status,
            channel_status_name=canonical.channel_status_name,
            occurred_at=occurred_at,
            correlation_id=correlation_id,
            record_stale=False,  # a snapshot repeats what we know: only its news is history
        )
        return existing, False


def take_channel_status(
    order: Order,
    status: str | None,
    *,
    channel_status: str = "",
    channel_status_name: str = "",
    occurred_at: datetime | None = None,
    source: str = StatusSource.CHANNEL,
    correlation_id: str = "",
    note: str = "",
    record_stale: bool = True,
    cancellation: Cancellation | None = None,
) -> StatusChange | None:
    """The channel says ``order`` is at ``status``: the order moves only if that is forward, and takes it once.

    - ``status`` None (a channel code with no canonical meaning) moves nothing
      but is news: it stamps ``last_channel_update_at``.
    - A report already taken (same ``source``, ``correlation_id`` and target)
      is not taken again, so redeliveries and re-processing leave one row.
    - A report that does not move the order (stale, repeated, not allowed) is
      recorded, not applied: a webhook's trace for staff. With
      ``record_stale=False`` (snapshots and polls, which repeat what we know
      at every look) it leaves no row.

    The order row is locked for the whole decision, so two workers with two
    reports of one order decide one after the other, on fresh data. Returns
    the history row written, or None. ``cancellation`` (who cancelled and
    why) is kept on the order whatever the status decides: it is the
    channel's word on the order, not a move.
    """
    if cancellation is not None:
        take_cancellation(order, cancellation)
    if status is None:
        stamp_channel_news(order, occurred_at)
        return None
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if correlation_id and StatusChange.objects.filter(
            order=locked, source=source, correlation_id=correlation_id[:64], to_status=status
        ).exists():
            return None
        if not record_stale and not decide(locked.service_type, locked.status, status).applied:
            return None
        return apply_status(
            order,
            status,
            source=source,
            channel_status=channel_status,
            channel_status_name=channel_status_name,
            occurred_at=occurred_at,
            note=note,
            correlation_id=correlation_id,
        )


def take_cancellation(order: Order, cancellation: Cancellation) -> None:
    """Who cancelled ``order`` and why, as the channel says; a later word replaces an earlier one."""
    Order.objects.filter(pk=order.pk).update(**cancellation_of(cancellation), updated_at=timezone.now())


def take_courier_update(
    order: Order,
    update: CourierUpdate,
    *,
    occurred_at: datetime | None = None,
    correlation_id: str = "",
) -> Delivery:
    """The channel tells where ``order``'s courier is: the delivery row takes it, the report is kept.

    Under the order's row lock; a report already taken (same stage under the
    same correlation id) is not taken again; an older report than the
    delivery knows is kept as history without changing the delivery (see
    ``orders.couriers``). Counts as news from the channel.
    """
    occurred_at = occurred_at or timezone.now()
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if already_taken(locked, update, correlation_id):
            delivery = locked.deliveries.order_by("-id").first()
            assert delivery is not None  # a report taken is a delivery written
        else:
            delivery = record_courier_update(locked, update, occurred_at, correlation_id)
            Order.objects.filter(pk=order.pk).update(updated_at=timezone.now())  # POS polling sees the courier
    stamp_channel_news(order, occurred_at)
    return delivery


def stamp_channel_news(order: Order, when: datetime | None = None) -> None:
    """Remember that the channel spoke of ``order`` at ``when`` (default now); never moves the stamp back.

    Reconciliation asks first about the orders whose news is oldest, so every
    word from the channel, moved or not, counts.
    """
    when = when or timezone.now()
    Order.objects.filter(pk=order.pk).filter(
        Q(last_channel_update_at__isnull=True) | Q(last_channel_update_at__lt=when)
    ).update(last_channel_update_at=when)


def flag_for_staff(order: Order, reason: str) -> None:
    """The channel answers about ``order`` in a way no retry fixes: a person must look."""
    max_length = Order._meta.get_field("attention_reason").max_length
    Order.objects.filter(pk=order.pk).update(needs_attention=True, attention_reason=reason[:max_length])


def can_be_accepted(order: Order) -> bool:
    """True while the kitchen has still to accept ``order``: the state machine's word, not a rule of the caller's.

    A reservation never is: tables are confirmed, a promise staff make.
    """
    return decide(order.service_type, order.status, OrderStatus.ACCEPTED).applied


def order_ref(order: Order) -> OrderRef:
    """How the order's channel addresses it, for a client call or an outbound job."""
    return OrderRef(
        channel_order_id=order.channel_order_id,
        service_type=ServiceType(order.service_type),
        display_code=order.display_code,
        our_reference=f"SQ-{order.pk}" if order.pk else "",
        scheduled=order.is_scheduled,
    )


def _refresh(order: Order, canonical: CanonicalOrder) -> None:
    """What a later snapshot says of an order we have: taken where it says something, kept where it is silent."""
    changes: dict[str, object] = {}
    if canonical.channel_payload is not None:
        changes["channel_payload"] = canonical.channel_payload
    if canonical.confirm_by is not None:
        changes["confirm_by"] = canonical.confirm_by
    changes.update({field: when for field, when in estimates_of(canonical).items() if when is not None})
    changes.update({field: code for field, code in codes_of(canonical).items() if code})
    changes.update(cancellation_of(canonical.cancellation))
    if changes:
        Order.objects.filter(pk=order.pk).update(**changes, updated_at=timezone.now())
        for field, value in changes.items():
            setattr(order, field, value)


def _locked(connection_id: int, channel_order_id: str) -> Order | None:
    return (
        Order.objects.select_for_update()
        .filter(connection_id=connection_id, channel_order_id=channel_order_id)
        .first()
    )
