"""Processing one stored webhook: parse it, fetch what is thin, upsert orders, move statuses.

Three steps, so no database transaction is ever held open across a channel call:

1. **claim** (short transaction): skip the event if it is done or another
   worker holds its lease; otherwise mark it ``processing``, count the attempt
   and take a short lease (``lease``: renewed while this run prepares, so a
   killed worker's event is taken again seconds after its death, never while
   its worker lives).
2. **prepare** (no transaction, the lease renewed): the module parses the stored
   bytes; a thin event, or a status change for an order we never saw, GETs the
   order from the channel. Reads only, so a crash here leaves nothing to undo.
3. **apply** (one transaction, the event row locked): hand orders and
   statuses to the orders app through its channel door
   (``orders.channel_door``) and mark the event ``processed``/``ignored``,
   all or nothing, only while the claim is still this run's (``claimed_at``):
   a run whose event went to another worker meanwhile changes nothing.

A fetch the channel cannot serve yet (404, 5xx, 429, timeout: ``fetching``) is retried on the
webhook schedule for ``WEBHOOK_FETCH_RETRY_WINDOW_SECONDS`` from the event's receipt, then the
event fails with a reason staff can read; a redelivery of a failed event takes it again (``redelivery``).

Idempotent: a finished event is skipped; a re-processed one (staff, after a
fix) finds its orders already there, and the door does not take a status
change twice under the event's correlation id. What an order does with a
status (forward only, stale ones recorded) is the door's rule, not this module's.
"""

from __future__ import annotations

import json
import logging
import traceback
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.datastructures import CaseInsensitiveMapping
from pydantic import ValidationError

from canonical import CanonicalOrder, InboundEvent, InboundEventKind
from canonical.text import storable, storable_copy, storable_tree
from integrations.channels.base import ChannelClient, ChannelModule
from integrations.channels.errors import FeatureNotSupported, MalformedWebhook, UnmappedStatus
from integrations.channels.features import Feature
from integrations.channels.registry import UnknownChannelModule
from integrations.connections import InvalidCredentials, client_for, connection_info, module_for
from integrations.http import PermanentChannelError, RetryableChannelError
from integrations.models import Connection, WebhookEvent
from integrations.outbound.auto_accept import auto_accept_if_enabled
from integrations.outbound.services import accept_again
from integrations.retry_policy import WEBHOOK_EVENTS, backoff_seconds
from orders.channel_door import ChannelLink, find_order, take_channel_status, take_courier_update, take_order
from orders.models import Order

from . import lease
from .fetching import OrderNotReadable, fetch_order, seconds_left
from .publish_results import take_publish_result

logger = logging.getLogger(__name__)

State = WebhookEvent.State
NEW_KINDS = (InboundEventKind.NEW_ORDER, InboundEventKind.NEW_RESERVATION)


class CannotProcess(Exception):
    """The event is authentic and readable, but we cannot act on it (the reason is for staff)."""


class RetryLater(Exception):
    """The channel failed in a way that may pass (5xx, timeout, 429): the event waits for a retry."""

    def __init__(self, message: str, retry_after: float | None = None, within: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.within = within

    def delay(self, retries: int) -> float:
        """Seconds before retry number ``retries + 1`` (``retries`` already made), by the one retry policy
        with the webhook schedule: 5 s doubling to 300 s, jittered, or the channel's Retry-After when longer;
        never past ``within`` (the end of a fetch retry window), so the last try comes when the window closes."""
        delay = backoff_seconds(retries + 1, self.retry_after, WEBHOOK_EVENTS)
        return delay if self.within is None else min(delay, max(self.within, 0.0))


@dataclass(frozen=True)
class Outcome:
    """How one processing run ended: the event's state, or ``skipped`` when there was nothing to do."""

    event_id: int
    state: str
    detail: str = ""


@dataclass
class _Step:
    event: InboundEvent
    fetched: CanonicalOrder | None = None


@dataclass
class _Applied:
    order: Order | None = None
    new_orders: list[Order] = field(default_factory=list)
    announced_again: list[Order] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    publish_jobs: list[int] = field(default_factory=list)


# Errors that a retry cannot fix: the event fails with a message staff can read.
_PERMANENT = (
    MalformedWebhook,
    ValidationError,
    UnmappedStatus,
    PermanentChannelError,
    FeatureNotSupported,
    InvalidCredentials,
    UnknownChannelModule,
    CannotProcess,
)


def process_webhook_event(event_id: int, *, only_if_new: bool = False) -> Outcome:
    """Process one stored event to its end state. Raises ``RetryLater`` when the channel should be asked again.

    ``only_if_new`` (drains): take the event only while it is ``received`` with no attempt yet.
    """
    event = _claim(event_id, only_if_new=only_if_new)
    if event is None:
        return Outcome(event_id, "skipped", "already finished, missing, or held by another worker")
    try:
        with lease.Lease(event):  # renewed while the channel takes its time; a dead worker's lease runs out
            steps = _prepare(event)
        return _apply(event, steps)
    except OrderNotReadable as exc:
        # Not the attempt count: the window from the receipt bounds it (orders may be readable a moment later).
        left = seconds_left(event.received_at)
        if left <= 0:
            return _fail(event, exc.gave_up(event.received_at))
        _release(event, exc.waiting(left))
        raise RetryLater(str(exc), exc.error.retry_after, within=left) from exc
    except RetryableChannelError as exc:
        if event.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
            return _fail(event, f"the channel kept failing, gave up after {event.attempts} attempts: {exc}")
        _release(event, f"will retry: {exc}")
        raise RetryLater(str(exc), exc.retry_after) from exc
    except _PERMANENT as exc:
        return _fail(event, _readable(exc))
    except Exception as exc:
        logger.exception("webhook event %s failed unexpectedly", event_id)
        return _fail(event, f"{type(exc).__name__}: {exc}", traceback.format_exc())


def _claim(event_id: int, *, only_if_new: bool = False) -> WebhookEvent | None:
    """Take the event: ``received``, or ``processing`` under a lapsed lease (its worker died); None otherwise."""
    now = timezone.now()
    candidates = WebhookEvent.objects.filter(lease.claimable(now), pk=event_id)
    if only_if_new:
        candidates = candidates.filter(state=State.RECEIVED, attempts=0)
    with transaction.atomic():
        event = (
            candidates.select_for_update(skip_locked=True, of=("self",))
            .select_related("connection__channel", "connection__restaurant")
            .first()
        )
        if event is None:
            return None
        event.state = State.PROCESSING
        event.attempts += 1
        event.claimed_at = now
        event.lease_until = now + lease.lease_length()
        event.save(update_fields=["state", "attempts", "claimed_at", "lease_until"])
        if event.attempts == 1:
            _touch_last_webhook(event)
    return event


def _touch_last_webhook(event: WebhookEvent) -> None:
    """Kept here, not in the request, so the request stays at two queries."""
    Connection.objects.filter(pk=event.connection_id).filter(
        Q(last_webhook_at__isnull=True) | Q(last_webhook_at__lt=event.received_at)
    ).update(last_webhook_at=event.received_at)


def _prepare(event: WebhookEvent) -> list[_Step]:
    connection = event.connection
    module = module_for(connection)
    headers = CaseInsensitiveMapping(event.headers or {})
    parsed = module.parse_webhook(connection_info(connection), bytes(event.body), headers)
    client: ChannelClient | None = None
    steps = []
    for inbound in parsed:
        step = _Step(storable_copy(inbound))  # a NUL in a note must not keep the order from being stored
        if _must_fetch(inbound, connection, module):
            client = client or client_for(connection, correlation_id=event.correlation_id)
            step.fetched = storable_copy(fetch_order(client, inbound.channel_order_id, announced_by=inbound))
            if step.fetched.channel_order_id != inbound.channel_order_id:
                raise CannotProcess(
                    f"asked the channel for order {inbound.channel_order_id}, "
                    f"it answered with {step.fetched.channel_order_id}"
                )
        steps.append(step)
    return steps


def _must_fetch(inbound: InboundEvent, connection: Connection, module: ChannelModule) -> bool:
    if inbound.needs_fetch:
        if not module.features.supports(Feature.GET_ORDER):
            raise CannotProcess(
                f"order {inbound.channel_order_id} came without its content and the channel offers no way to fetch it"
            )
        return True
    if inbound.kind != InboundEventKind.STATUS_CHANGED:
        return False
    if find_order(connection.pk, inbound.channel_order_id) is not None:
        return False
    if not module.features.supports(Feature.GET_ORDER):
        raise CannotProcess(
            f"status change for order {inbound.channel_order_id}, which we never received, "
            "and the channel offers no way to fetch it"
        )
    return True


def _apply(claimed: WebhookEvent, steps: list[_Step]) -> Outcome:
    connection = claimed.connection
    module = module_for(connection)
    link = ChannelLink(connection_id=connection.pk, restaurant_id=connection.restaurant_id)
    with transaction.atomic():
        event = WebhookEvent.objects.select_for_update().get(pk=claimed.pk)
        if event.state != State.PROCESSING or event.claimed_at != claimed.claimed_at:
            return Outcome(event.pk, "skipped", f"taken meanwhile by another worker ({event.state})")
        applied = _Applied()
        for step in steps:
            _apply_one(step, link, module, event, applied)
        event.event_type = ",".join(dict.fromkeys(step.event.kind.value for step in steps))[:40]
        event.channel_order_id = next((s.event.channel_order_id for s in steps if s.event.channel_order_id), "")[:120]
        event.order = applied.order
        event.processed_at = timezone.now()
        event.lease_until = None
        event.traceback = ""
        if applied.order is None and not applied.publish_jobs:
            event.state = State.IGNORED
            event.error = "; ".join(applied.ignored) or "the module found no events in this webhook"
        else:
            event.state = State.PROCESSED
            event.error = ""
        event.save(
            update_fields=[
                "state", "event_type", "channel_order_id", "order", "processed_at", "lease_until", "error", "traceback"
            ]
        )
        # In the same transaction: a worker killed right after the commit must not leave an order nobody accepts.
        for order in applied.new_orders:
            _auto_accept(order)
        for order in applied.announced_again:  # e.g. Uber's scheduled orders, accepted once more when due
            _accept_again(order)
    return Outcome(event.pk, event.state, event.error)


def _apply_one(step: _Step, link: ChannelLink, module: ChannelModule, event: WebhookEvent, applied: _Applied) -> None:
    inbound = step.event
    correlation_id = event.correlation_id
    if inbound.kind in NEW_KINDS:
        canonical = inbound.order or step.fetched
        assert canonical is not None  # _prepare fetched it
        if inbound.order is not None and canonical.channel_payload is None:
            canonical = canonical.model_copy(update={"channel_payload": _body_json(event)})  # the order came whole
        _take(link, canonical, inbound, correlation_id, applied)
    elif inbound.kind == InboundEventKind.STATUS_CHANGED:
        applied.order = _take_status_change(step, link, module, correlation_id, applied)
    elif inbound.kind == InboundEventKind.COURIER_UPDATE and inbound.courier is not None:
        _take_courier_update(inbound, link, correlation_id, applied)
    elif inbound.kind == InboundEventKind.PUBLISH_RESULT and inbound.publish is not None:
        _take_publish_result(inbound, link, applied)
    else:
        applied.ignored.append(inbound.ignored_reason or f"{inbound.kind} events are not handled")


def _take(
    link: ChannelLink, canonical: CanonicalOrder, inbound: InboundEvent, correlation_id: str, applied: _Applied
) -> Order:
    order, created = take_order(link, canonical, correlation_id=correlation_id, occurred_at=inbound.occurred_at)
    applied.order = order
    if created:
        applied.new_orders.append(order)
    elif inbound.kind == InboundEventKind.NEW_ORDER:
        applied.announced_again.append(order)
    return order


def _take_status_change(
    step: _Step, link: ChannelLink, module: ChannelModule, correlation_id: str, applied: _Applied
) -> Order:
    inbound = step.event
    order = find_order(link.connection_id, inbound.channel_order_id)
    if order is None:
        if step.fetched is None:
            raise CannotProcess(f"status change for order {inbound.channel_order_id}, which we do not have")
        order = _take(link, step.fetched, inbound, correlation_id, applied)
    # Mapped again with the stored order's service type: the webhook may not say what the order is.
    # A code with no canonical meaning maps to None: the door takes it as news, not a move.
    take_channel_status(
        order,
        module.to_canonical_status(inbound.channel_status, order.service_type),
        channel_status=inbound.channel_status,
        occurred_at=inbound.occurred_at,
        correlation_id=correlation_id,
        cancellation=inbound.cancellation,
    )
    return order


def _take_courier_update(inbound: InboundEvent, link: ChannelLink, correlation_id: str, applied: _Applied) -> None:
    """The courier of an order we have: its delivery takes the news. Of an order we do not have: nothing to update."""
    assert inbound.courier is not None
    order = find_order(link.connection_id, inbound.channel_order_id)
    if order is None:
        applied.ignored.append(f"courier update for order {inbound.channel_order_id}, which we do not have")
        return
    take_courier_update(order, inbound.courier, occurred_at=inbound.occurred_at, correlation_id=correlation_id)
    applied.order = order


def _take_publish_result(inbound: InboundEvent, link: ChannelLink, applied: _Applied) -> None:
    """A catalog publish's result: to the job waiting for it (``publish_results``), or ignored with the reason."""
    assert inbound.publish is not None
    job = take_publish_result(link.connection_id, inbound.publish)
    if job is None:
        applied.ignored.append(f"publish result for upload {inbound.publish.transaction_id}: no publish waits for it")
        return
    applied.publish_jobs.append(job.pk)


def _body_json(event: WebhookEvent) -> dict | None:
    """The webhook's body as the order's raw copy, when it is a JSON object (the module parsed it already)."""
    try:
        body = json.loads(bytes(event.body))
    except ValueError:
        return None
    return storable_tree(body) if isinstance(body, dict) else None  # jsonb holds no \u0000: the body row keeps it


def _auto_accept(order: Order) -> None:
    """Commits with the order and its outbox job, or not at all; but a failing auto-accept never undoes the order.

    The savepoint rolls back only the accept; the order stays ``received`` and
    attention flags it. (Run after the commit, as it once was, a worker killed
    in between lost the accept for good: the chaos run found it.)
    """
    try:
        with transaction.atomic():
            auto_accept_if_enabled(order)
    except Exception:
        logger.exception("auto-accept of order %s failed", order.pk)


def _accept_again(order: Order) -> None:
    """An order the channel announces again: accepted once more if its channel wants that (the service decides);
    like auto-accept, in a savepoint that never undoes the event."""
    try:
        with transaction.atomic():
            accept_again(order, correlation_id=order.correlation_id or None)
    except Exception:
        logger.exception("second acceptance of order %s failed", order.pk)


def _release(event: WebhookEvent, message: str) -> None:
    """Back to ``received`` for a retry (fenced: a run that lost its claim leaves the event to its new worker)."""
    lease.fenced(event).update(state=State.RECEIVED, lease_until=None, error=storable(message)[:2000])


def _fail(event: WebhookEvent, message: str, trace: str = "") -> Outcome:
    failed = lease.fenced(event).update(  # an error may quote the payload's own bytes
        state=State.FAILED,
        lease_until=None,
        error=storable(message),
        traceback=storable(trace),
        processed_at=timezone.now(),
    )
    if not failed:
        return Outcome(event.pk, "skipped", f"taken meanwhile by another worker; this run's failure: {message}")
    return Outcome(event.pk, State.FAILED, message)


def _readable(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc']) or 'body'}: {error['msg']}" for error in exc.errors()
        )
        return f"the payload does not match the expected schema: {problems}"
    return str(exc) or type(exc).__name__
