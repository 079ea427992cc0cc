"""The ticket's "from the channel" sections: what the channel said of an order, read-only and readable.

Unknown stays unknown on the page: an empty VAT reads "not said by the
channel", never 0.00; a request the channel did not make reads the same.
Times are on the restaurant's clock, the zone named (``admin_display.local_time``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from canonical.money import smallest_unit

from .admin_display import local_time
from .models import Order

NOT_SAID = "not said by the channel"


@dataclass(frozen=True)
class Section:
    """A titled block of the ticket: rows of (label, value); a value may be safe HTML."""

    title: str
    rows: tuple[tuple[str, str | SafeString], ...]


def yes_no(value: bool | None) -> str:
    return NOT_SAID if value is None else ("yes" if value else "no")


def amount(order: Order, value: Decimal | str | None) -> str:
    """An amount in the order's currency with the currency's own places; None is "not said"."""
    if value is None:
        return NOT_SAID
    return f"{Decimal(value).quantize(smallest_unit(order.currency))} {order.currency}"


def channel_sections(order: Order, timezone_name: str) -> list[Section]:
    """Every "from the channel" section of the ticket, in reading order (the raw order apart: ``raw_order``)."""
    def when(value):
        return local_time(value, timezone_name)

    return [
        Section(str(_("From the channel: timing")), (
            (str(_("Scheduled window")), f"{when(order.scheduled_earliest)} – {when(order.scheduled_latest)}"
             if order.scheduled_earliest or order.scheduled_latest else "—"),
            (str(_("Confirm by")), when(order.confirm_by)),
            (str(_("Food ready (estimate)")), when(order.estimated_ready_at)),
            (str(_("Collected (estimate)")), when(order.estimated_pickup_at)),
            (str(_("Reaches the customer (estimate)")), when(order.estimated_dropoff_at)),
        )),
        Section(str(_("From the channel: handover and requests")), (
            (str(_("Pickup code")), order.pickup_code or "—"),
            (str(_("Courier code")), order.courier_code or "—"),
            (str(_("Cutlery requested")), yes_no(order.cutlery_requested)),
            (str(_("Disposables requested (packaging)")), yes_no(order.disposables_requested)),
            (str(_("Allergies")), order.allergy_notes or "—"),
            (str(_("Loyalty card")), order.loyalty_code or "—"),
        )),
        Section(str(_("From the channel: customer, invoice and bundled orders")), (
            (str(_("Customer's channel id")), order.customer_channel_id or "—"),
            (str(_("Invoice to")), invoicing(order)),
            (str(_("Delivered together with (channel order ids)")), bundled(order)),
        )),
        Section(str(_("From the channel: money")), (
            (str(_("VAT")), amount(order, order.vat_amount)),
            (str(_("Prices hold VAT")), prices_hold_vat(order)),
            (str(_("Fees")), fee_breakdown(order)),
        )),
        Section(str(_("From the channel: cancellation")),
                ((str(_("Cancellation")), cancellation(order, timezone_name)),)),
    ]


def invoicing(order: Order) -> str:
    if not (order.invoice_company_name or order.invoice_tax_id or order.invoice_address):
        return "no invoice asked for"
    parts = [order.invoice_company_name, f"tax id {order.invoice_tax_id}" if order.invoice_tax_id else "",
             order.invoice_address]
    return " · ".join(part for part in parts if part)


def bundled(order: Order) -> str:
    return ", ".join(str(order_id) for order_id in order.bundled_with or ()) or "-"


def prices_hold_vat(order: Order) -> str:
    if order.prices_include_vat is None:
        return NOT_SAID
    return "yes" if order.prices_include_vat else "no: VAT is added on top"


def fee_rows(order: Order) -> list[tuple[str, Decimal | str | None]]:
    """Every fee the channel sent, the tip and the discount, in the channel's own names for its extra fees."""
    return [
        ("Delivery", order.delivery_fee), ("Service", order.service_fee), ("Bag", order.bag_fee),
        ("Small order surcharge", order.small_order_surcharge), ("Tip", order.tip_amount),
        *((fee.get("name", "?"), fee.get("amount", "?")) for fee in order.extra_fees or ()),
        ("Discount", order.discount_amount),
    ]


def fee_breakdown(order: Order) -> SafeString:
    return format_html(
        "<table>{}</table>",
        format_html_join("", "<tr><th>{}</th><td>{}</td></tr>",
                         ((name, amount(order, value)) for name, value in fee_rows(order))),
    )


def cancellation(order: Order, timezone_name: str) -> str:
    if not (order.cancelled_by or order.cancel_reason_code or order.cancel_reason):
        return "-"
    parts = [
        f"by {order.get_cancelled_by_display() if order.cancelled_by else NOT_SAID}",
        order.cancel_reason_code, order.cancel_reason,
        f"at {local_time(order.cancelled_at, timezone_name)}" if order.cancelled_at else "",
        f"products paid by the channel: {yes_no(order.cancel_products_paid)}",
        f"({order.cancel_payment_strategy})" if order.cancel_payment_strategy else "",
    ]
    return " · ".join(part for part in parts if part)


def raw_order(order: Order) -> SafeString | str:
    """The channel's own payload (webhook body or GET response), last version received, pretty-printed."""
    if order.channel_payload is None:
        return "-"
    return format_html("<pre>{}</pre>", json.dumps(order.channel_payload, indent=2, ensure_ascii=False))
