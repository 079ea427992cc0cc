"""What an order's ticket in admin shows of it: facts only, read from the rows, nothing to edit.

Lines are a tree (a product, its options under it, the ingredients left out, the remarks);
money, customer, address, codes, courier and our status history are plain rows. Every time is on
the restaurant's clock with the zone named. The channel's side (jobs, webhooks, calls) is added by
the integration layer's admin, which may know channels (this app may not).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from canonical import StatusSource

from .admin_display import local_time
from .channel_view import Section, amount, channel_sections, fee_rows, raw_order, yes_no
from .models import Order, OrderLine

LAST_DRIVER_LOCATIONS = 20
CHANNEL_SOURCES = frozenset({StatusSource.CHANNEL, StatusSource.RECONCILIATION})


@dataclass
class TicketLine:
    """One line of the tree: a product, or one of its options (``options`` empty)."""

    quantity: int
    name: str
    sku: str
    unit_price: str
    total: str
    group: str = ""
    removed: list[str] = field(default_factory=list)
    notes: str = ""
    allergy_notes: str = ""
    for_person: str = ""
    """In a group order: whom the line is for."""
    options: list[TicketLine] = field(default_factory=list)


@dataclass(frozen=True)
class TimelineEntry:
    """One moment of the order's story, on one side: what the channel said, or what we did or sent."""

    at: datetime
    side: str  # "channel" or "sinqro"
    what: str
    detail: str = ""
    ok: bool = True
    link: str = ""


@dataclass
class Ticket:
    order: Order
    timezone: str
    title: str
    kind: str
    status: str
    headline: list[tuple[str, str]]
    lines: list[TicketLine]
    money: list[tuple[str, str]]
    payments: list[str]
    customer: list[tuple[str, str]]
    address: list[tuple[str, str]]
    codes: list[tuple[str, str]]
    notes: list[tuple[str, str]]
    couriers: list[list[tuple[str, str]]]
    locations: list[str]
    sections: list[Section]
    timeline: list[TimelineEntry]
    raw_order: str


def load_order(pk: int) -> Order | None:
    """The order with everything the ticket reads, in a fixed number of queries."""
    return (
        Order.objects.select_related("restaurant")
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=OrderLine.objects.filter(parent__isnull=True).prefetch_related("options"),
                to_attr="product_lines",
            ),
            "payments",
            "deliveries__reports",
            "status_changes",
        )
        .filter(pk=pk)
        .first()
    )


def build_ticket(order: Order) -> Ticket:
    """The ticket of ``order`` (loaded with ``load_order``)."""
    zone = order.restaurant.timezone

    def when(value: datetime | None) -> str:
        return local_time(value, zone)

    headline = [
        (str(_("Restaurant")), str(order.restaurant)),
        (str(_("Placed")), when(order.placed_at)),
    ]
    if order.is_reservation:
        headline += [(str(_("Table for")), f"{order.diners or '?'} at {when(order.reservation_at)}")]
    else:
        wanted = when(order.scheduled_for) if order.scheduled_for else str(_("as soon as possible"))
        headline += [(str(_("Wanted")), wanted)]
    headline += [(str(_("Total")), amount(order, order.total_amount))]
    if order.table:
        headline += [(str(_("Table")), order.table)]
    if order.ordered_via:
        headline += [(str(_("Ordered in")), order.ordered_via)]
    if order.needs_attention:
        headline += [(str(_("Needs attention")), order.attention_reason or str(_("yes")))]
    return Ticket(
        order=order,
        timezone=zone,
        title=f"{order.display_code or order.channel_order_id or order.pk}",
        kind=order.get_service_type_display(),
        status=order.get_status_display(),
        headline=headline,
        lines=[_line(order, line) for line in getattr(order, "product_lines", None) or _product_lines(order)],
        money=_money(order),
        payments=[_payment(order, payment) for payment in order.payments.all()],
        customer=[
            (str(_("Name")), order.customer_name or "—"),
            (str(_("Phone")), order.customer_phone or "—"),
            *([(str(_("Phone code")), order.customer_phone_code)] if order.customer_phone_code else []),
            (str(_("Email")), order.customer_email or "—"),
        ],
        address=_address(order),
        codes=[
            (str(_("Channel's order id")), order.channel_order_id or "—"),
            (str(_("Display code (not unique)")), order.display_code or "—"),
            (str(_("Pickup code")), order.pickup_code or "—"),
            (str(_("Courier code")), order.courier_code or "—"),
            (str(_("Correlation id")), order.correlation_id or "—"),
        ],
        notes=[
            (str(_("Customer's remarks")), order.notes or "—"),
            (str(_("Allergies")), order.allergy_notes or "—"),
            (str(_("Cutlery")), yes_no(order.cutlery_requested)),
        ],
        couriers=[_courier(delivery, zone) for delivery in order.deliveries.all()],
        locations=[
            f"{when(spot.recorded_at)}: {spot.lat}, {spot.lng}"
            for spot in order.driver_locations.order_by("-recorded_at", "-id")[:LAST_DRIVER_LOCATIONS]
        ],
        sections=channel_sections(order, zone),
        timeline=status_timeline(order),
        raw_order=raw_order(order),
    )


def status_timeline(order: Order) -> list[TimelineEntry]:
    """Our status history as timeline entries: the channel's reports on its side, ours (staff, POS, system) on ours.

    The courier's reports (the channel's word on its courier) are on the channel's side too.
    """
    entries = [
        TimelineEntry(
            at=report.recorded_at, side="channel",
            what=f"{_('Courier')}: {report.get_stage_display()}" + (f" ({report.name})" if report.name else ""),
            detail=(f"channel code {report.channel_stage}" if report.channel_stage else "")
            + ("" if report.applied else " · older than what we knew: not applied"),
            ok=report.applied,
        )
        for delivery in order.deliveries.all()
        for report in delivery.reports.all()
    ]
    for change in order.status_changes.all():
        if not change.applied:
            moved = f"{change.to_status} (not applied)"
        elif change.from_status == change.to_status:
            moved = change.to_status  # the order arrived at its first status
        else:
            moved = f"{change.from_status} → {change.to_status}"
        who = change.get_source_display()
        detail = change.reason + (f" · “{change.note}”" if change.note else "")
        if change.channel_status:
            detail = f"channel code {change.channel_status} · {detail}"
        entries.append(
            TimelineEntry(
                at=change.recorded_at,
                side="channel" if change.source in CHANNEL_SOURCES else "sinqro",
                what=f"{who}: {moved}",
                detail=detail,
                ok=change.applied,
            )
        )
    return entries


def _product_lines(order: Order) -> list[OrderLine]:
    return list(order.lines.filter(parent__isnull=True).prefetch_related("options"))


def _line(order: Order, line: OrderLine, options: bool = True) -> TicketLine:
    return TicketLine(
        quantity=line.quantity,
        name=line.name,
        sku=line.sku,
        unit_price=amount(order, line.unit_price),
        total=amount(order, line.line_total),
        group=line.group,
        removed=[f"no {item.get('name', '')}" for item in line.removed or ()],
        for_person=line.for_person,
        notes=line.notes,
        allergy_notes=line.allergy_notes,
        options=[_line(order, option, options=False) for option in line.options.all()] if options else [],
    )


def _money(order: Order) -> list[tuple[str, str]]:
    rows = [(str(_("Lines (base)")), amount(order, order.subtotal_amount)),
            (str(_("VAT")), amount(order, order.vat_amount))]
    rows += [(name, amount(order, value)) for name, value in fee_rows(order) if _shown(value)]
    rows += [(str(_("Total")), amount(order, order.total_amount))]
    if order.tip_in_total is False and _shown(order.tip_amount):
        rows += [(str(_("Tip, paid apart from the total")), amount(order, order.tip_amount))]
    rows += [(str(_("Outside the total: %(name)s") % {"name": fee.get("name", "?")}), amount(order, fee.get("amount")))
             for fee in order.outside_total or ()]
    return rows


def _shown(value: Decimal | str | None) -> bool:
    """A fee the channel did not send, or sent as zero, is left out of the short money box."""
    try:
        return value is not None and Decimal(value) != 0
    except (ArithmeticError, ValueError, TypeError):
        return True


def _payment(order: Order, payment) -> str:
    parts = [payment.get_method_display(), amount(order, payment.amount),
             {True: "prepaid", False: "to collect", None: "prepaid: not said"}[payment.prepaid]]
    if payment.cash_to_collect is not None:
        parts.append(f"cash to collect {amount(order, payment.cash_to_collect)}")
    if payment.cash_tendered is not None:
        parts.append(f"pays with {amount(order, payment.cash_tendered)}")
    return " · ".join(parts)


def _address(order: Order) -> list[tuple[str, str]]:
    if not (order.address_street or order.address_city or order.address_postcode):
        return []
    rows = [(str(_("Street")), " ".join(part for part in (order.address_street, order.address_unit) if part)),
            (str(_("City")), " ".join(part for part in (order.address_postcode, order.address_city) if part))]
    if order.address_lat is not None and order.address_lng is not None:
        rows.append((str(_("Map")), f"{order.address_lat}, {order.address_lng}"))
    if order.address_business_name:
        rows.insert(1, (str(_("Building")), order.address_business_name))
    if order.handover:
        rows.append((str(_("Hand over")), order.get_handover_display()))
    if order.address_instructions:
        rows.append((str(_("Instructions")), order.address_instructions))
    return rows


def _courier(delivery, zone: str) -> list[tuple[str, str]]:
    rows = [
        (str(_("Courier")), delivery.driver_name or "unknown"),
        (str(_("Whose")), "the restaurant's own" if delivery.by_restaurant else "the channel's"),
        (str(_("Stage")), delivery.get_stage_display() if delivery.stage else "—"),
        (str(_("Phone")), delivery.driver_phone or delivery.phone_code or "—"),
        (str(_("Vehicle")), delivery.vehicle or "—"),
        *([(str(_("Picture")), delivery.picture_url)] if delivery.picture_url else []),
        (str(_("Pickup ETA")), local_time(delivery.pickup_eta, zone)),
        (str(_("Drop-off ETA")), local_time(delivery.dropoff_eta, zone)),
    ]
    if delivery.tracking_url:
        rows.append((str(_("Tracking")), delivery.tracking_url))
    return rows
