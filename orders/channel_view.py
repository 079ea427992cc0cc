"""The admin's "from the channel" section: what the channel said of an order, read-only and readable.

Unknown stays unknown on the page: an empty VAT reads "not said by the
channel", never 0.00; a request the channel did not make reads the same.
"""

from __future__ import annotations

import json
from decimal import Decimal

from django.contrib import admin
from django.utils.html import format_html, format_html_join

from canonical.money import smallest_unit

from .models import Order

NOT_SAID = "not said by the channel"


def _yes_no(value: bool | None) -> str:
    return NOT_SAID if value is None else ("yes" if value else "no")


def _amount(order: Order, value: Decimal | str | None) -> str:
    """An amount in the order's currency with the currency's own places; None is "not said"."""
    if value is None:
        return NOT_SAID
    return f"{Decimal(value).quantize(smallest_unit(order.currency))} {order.currency}"


class ChannelFactsMixin:
    """Fields and fieldsets an order admin adds to show the channel's facts."""

    channel_readonly_fields = (
        "scheduled_earliest", "scheduled_latest", "confirm_by",
        "estimated_ready_at", "estimated_pickup_at", "estimated_dropoff_at",
        "pickup_code", "courier_code", "cutlery", "disposables", "allergy_notes", "loyalty_code",
        "vat", "prices_hold_vat", "fee_breakdown", "cancellation", "raw_order",
        "customer_channel_id", "invoicing", "bundled",
    )
    channel_fieldsets = (
        (
            "From the channel: timing",
            {"fields": ("scheduled_earliest", "scheduled_latest", "confirm_by",
                        "estimated_ready_at", "estimated_pickup_at", "estimated_dropoff_at")},
        ),
        (
            "From the channel: handover and requests",
            {"fields": ("pickup_code", "courier_code", "cutlery", "disposables", "allergy_notes", "loyalty_code")},
        ),
        (
            "From the channel: customer, invoice and bundled orders",
            {"fields": ("customer_channel_id", "invoicing", "bundled")},
        ),
        ("From the channel: money", {"fields": ("vat", "prices_hold_vat", "fee_breakdown")}),
        ("From the channel: cancellation", {"fields": ("cancellation",)}),
        (
            "From the channel: the order as sent",
            {"fields": ("raw_order",), "classes": ("collapse",),
             "description": "The channel's own payload (webhook body or GET response), last version received."},
        ),
    )

    @admin.display(description="Cutlery requested")
    def cutlery(self, order: Order) -> str:
        return _yes_no(order.cutlery_requested)

    @admin.display(description="Disposables requested (packaging)")
    def disposables(self, order: Order) -> str:
        return _yes_no(order.disposables_requested)

    @admin.display(description="Invoice to")
    def invoicing(self, order: Order) -> str:
        if not (order.invoice_company_name or order.invoice_tax_id or order.invoice_address):
            return "no invoice asked for"
        parts = [order.invoice_company_name, f"tax id {order.invoice_tax_id}" if order.invoice_tax_id else "",
                 order.invoice_address]
        return " · ".join(part for part in parts if part)

    @admin.display(description="Delivered together with (channel order ids)")
    def bundled(self, order: Order) -> str:
        return ", ".join(str(order_id) for order_id in order.bundled_with or ()) or "-"

    @admin.display(description="VAT")
    def vat(self, order: Order) -> str:
        return _amount(order, order.vat_amount)

    @admin.display(description="Prices hold VAT")
    def prices_hold_vat(self, order: Order) -> str:
        if order.prices_include_vat is None:
            return NOT_SAID
        return "yes" if order.prices_include_vat else "no: VAT is added on top"

    @admin.display(description="Fees")
    def fee_breakdown(self, order: Order) -> str:
        rows = [
            ("Delivery", order.delivery_fee), ("Service", order.service_fee), ("Bag", order.bag_fee),
            ("Small order surcharge", order.small_order_surcharge), ("Tip", order.tip_amount),
            *((fee.get("name", "?"), fee.get("amount", "?")) for fee in order.extra_fees or ()),
            ("Discount", order.discount_amount),
            *((f"Outside the total: {fee.get('name', '?')}", fee.get("amount", "?"))
              for fee in order.outside_total or ()),
        ]
        return format_html(
            "<table>{}</table>",
            format_html_join("", "<tr><th>{}</th><td>{}</td></tr>",
                             ((name, _amount(order, amount)) for name, amount in rows)),
        )

    @admin.display(description="Cancellation")
    def cancellation(self, order: Order) -> str:
        if not (order.cancelled_by or order.cancel_reason_code or order.cancel_reason):
            return "-"
        parts = [
            f"by {order.get_cancelled_by_display() if order.cancelled_by else NOT_SAID}",
            order.cancel_reason_code, order.cancel_reason,
            f"at {order.cancelled_at:%Y-%m-%d %H:%M} UTC" if order.cancelled_at else "",
            f"products paid by the channel: {_yes_no(order.cancel_products_paid)}",
            f"({order.cancel_payment_strategy})" if order.cancel_payment_strategy else "",
        ]
        return " · ".join(part for part in parts if part)

    @admin.display(description="The order as the channel sent it")
    def raw_order(self, order: Order) -> str:
        if order.channel_payload is None:
            return "-"
        return format_html("<pre>{}</pre>", json.dumps(order.channel_payload, indent=2, ensure_ascii=False))
