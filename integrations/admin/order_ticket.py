"""The order's ticket with the channel's side: its buttons, the jobs we sent, the webhooks and calls.

``orders.admin.OrderAdmin`` draws the facts (the domain may not know channels); this subclass,
registered in its place, adds what only the integration layer knows and the buttons, each one call
to a service: ``ticket_actions.make_move`` (accept, reject, preparing, ready, picked up, delivered,
cancel; confirm, refuse, arrived, seat, left, no-show: only the moves the state machine allows now are
drawn; reject and cancel also take a canonical reason code and the out-of-stock SKUs), ``outbound.resend`` and
``inbound.fetch_again``. A refusal is an error message on the ticket; nothing is saved here.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from canonical import RefusalReason
from orders import admin as orders_admin
from orders.admin_display import local_time
from orders.models import Order
from orders.ticket import Ticket, TimelineEntry

from ..channels.features import Feature
from ..channels.registry import UnknownChannelModule, get_module
from ..inbound.fetch_again import CannotFetch, fetch_order_again
from ..models import ChannelCall, SyncJob, WebhookEvent
from ..outbound.resend import CannotResend, last_status_job, resend_last_status
from ..ticket_actions import MoveRefused, allowed_moves, make_move, order_skus

SHOWN_CALLS = 30
SHOWN_EVENTS = 30


class OrderTicketAdmin(orders_admin.OrderAdmin):
    def get_urls(self):
        act = self.admin_site.admin_view(require_POST(self.act_view))
        return [path("<int:pk>/ticket/<str:action>/", act, name="orders_order_ticket_act"), *super().get_urls()]

    # --- the buttons -------------------------------------------------------------------------------

    def act_view(self, request: HttpRequest, pk: int, action: str) -> HttpResponseRedirect:
        """One button pressed: the service is called, what it did (or why not) is the next page's message."""
        order = get_object_or_404(Order, pk=pk)
        if not self.can_act(request):
            raise PermissionDenied
        ticket_url = reverse("admin:orders_order_change", args=[order.pk])
        try:
            message = self._act(request, order, action)
        except (MoveRefused, CannotResend, CannotFetch) as exc:
            self.message_user(request, str(exc), messages.ERROR)
        else:
            self.log_change(request, order, message)
            self.message_user(request, message, messages.SUCCESS)
        return HttpResponseRedirect(ticket_url)

    def _act(self, request: HttpRequest, order: Order, action: str) -> str:
        if action == "resend":
            job = resend_last_status(order)
            return _("Status %(status)s queued again for the channel (job %(job)s).") % {
                "status": job.payload["update"]["status"], "job": job.pk}
        if action == "fetch":
            fetched = fetch_order_again(order)
            if fetched.moved:
                return _("Fetched again from the channel (their status %(code)s); it moved %(before)s → %(after)s.") % {
                    "code": fetched.channel_status or "—", "before": fetched.before, "after": fetched.after}
            return _("Fetched again from the channel (their status %(code)s); its status stays.") % {
                "code": fetched.channel_status or "—"}
        prep = request.POST.get("prep_minutes", "").strip()
        if prep and not prep.isdigit():
            raise MoveRefused(_("preparation minutes must be a whole number, not %(value)r") % {"value": prep})
        status_jobs = order.sync_jobs.filter(kind=SyncJob.Kind.ORDER_STATUS)
        before = status_jobs.count()
        change = make_move(
            order, action,
            reason=request.POST.get("reason", ""),
            reason_code=request.POST.get("reason_code", "").strip(),
            unavailable_items=request.POST.getlist("unavailable_items"),
            prep_minutes=int(prep) if prep else None,
        )
        if status_jobs.count() > before:
            return _("%(before)s → %(after)s: the channel will be told.") % {
                "before": change.from_status, "after": change.to_status}
        return _("%(before)s → %(after)s: no channel takes this status.") % {
            "before": change.from_status, "after": change.to_status}

    # --- the channel's side ------------------------------------------------------------------------

    def channel_side(self, request: HttpRequest, order: Order, ticket: Ticket) -> dict[str, Any]:
        zone = ticket.timezone
        jobs = list(order.sync_jobs.select_related("connection__channel").order_by("created_at", "id"))
        events = list(
            WebhookEvent.objects.filter(order=order).defer("body", "headers").order_by("-received_at")[:SHOWN_EVENTS]
        )
        calls_of = Q(sync_attempt__job__order=order)
        if order.correlation_id:
            calls_of |= Q(correlation_id=order.correlation_id)
        calls = list(
            ChannelCall.objects.filter(calls_of)
            .defer("request_headers", "request_body", "response_headers", "response_body")
            .distinct()
            .order_by("-created_at")[:SHOWN_CALLS]
        )
        timeline = sorted(
            [*ticket.timeline, *_job_entries(jobs), *_event_entries(events)], key=lambda entry: entry.at
        )
        can_act = self.can_act(request)
        last_job = last_status_job(order)
        moves = allowed_moves(order) if can_act else []
        return {
            "can_act": can_act,
            "moves": moves,
            # the steps forward first; the moves that stop it (reject, refuse, cancel) ask why, on their own row
            "forward": [move for move in moves if not move.needs_reason],
            "stops": [move for move in moves if move.needs_reason],
            "reason_codes": [(value, gettext(label)) for value, label in RefusalReason.choices],
            "items_unavailable": RefusalReason.ITEMS_UNAVAILABLE.value,
            "order_skus": order_skus(order) if any(move.takes_reason_code for move in moves) else [],
            "default_prep_minutes": order.connection.auto_accept_prep_minutes if order.connection else 15,
            "can_resend": can_act and last_job is not None,
            "can_fetch": can_act and _can_fetch(order),
            "timeline": [(local_time(entry.at, zone, seconds=True), entry) for entry in timeline],
            "jobs": [
                {"job": job, "created": local_time(job.created_at, zone, seconds=True),
                 "finished": local_time(job.finished_at, zone, seconds=True) if job.finished_at else "",
                 "url": reverse("admin:integrations_syncjob_change", args=[job.pk])}
                for job in jobs
            ],
            "calls": [
                {"call": call, "at": local_time(call.created_at, zone, seconds=True),
                 "url": reverse("admin:integrations_channelcall_change", args=[call.pk])}
                for call in calls
            ],
            "channel_name": order.connection.channel.name if order.connection else "",
        }


def _can_fetch(order: Order) -> bool:
    if order.connection is None or not order.channel_order_id:
        return False
    try:
        return get_module(order.connection.channel.module).features.supports(Feature.GET_ORDER)
    except UnknownChannelModule:
        return False


def _job_entries(jobs: list[SyncJob]) -> list[TimelineEntry]:
    """What we sent the channel, and how it ended (only status jobs are the order's story; others stay in the list)."""
    entries = []
    for job in jobs:
        if job.kind != SyncJob.Kind.ORDER_STATUS:
            continue
        update = (job.payload or {}).get("update") or {}
        entries.append(TimelineEntry(
            at=job.created_at, side="sinqro",
            what=str(_("Sent to %(channel)s: %(status)s")) % {"channel": job.connection.channel.name,
                                                               "status": update.get("status", "?")},
            detail=f"job {job.pk}: {job.get_state_display()}, {job.attempts} attempt(s)"
            + (f" · {job.last_error}" if job.last_error else ""),
            ok=job.state not in (SyncJob.State.FAILED, SyncJob.State.CANCELLED),
            link=reverse("admin:integrations_syncjob_change", args=[job.pk]),
        ))
    return entries


def _event_entries(events: list[WebhookEvent]) -> list[TimelineEntry]:
    """What the channel sent us, as webhooks (their effect on the order is the status rows beside them)."""
    return [
        TimelineEntry(
            at=event.received_at, side="channel",
            what=str(_("Webhook: %(kind)s")) % {"kind": event.event_type or "unparsed"},
            detail=f"{event.get_state_display()}" + (f" · {event.error}" if event.error else ""),
            ok=event.state != WebhookEvent.State.FAILED,
            link=reverse("admin:integrations_webhookevent_change", args=[event.pk]),
        )
        for event in events
    ]


if admin.site.is_registered(Order):
    admin.site.unregister(Order)
admin.site.register(Order, OrderTicketAdmin)
