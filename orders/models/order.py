"""The order: what a customer asked for on a channel, in canonical form.

A reservation is an order too (service type ``reservation``, with diners and a
time), as in Sinqro's market API: one table, one status history, one admin.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from canonical import CancelledBy, Handover, OrderStatus, ServiceType
from canonical.state_machine import is_final_for

from ..totals import Totals, compute_totals

MONEY_DIGITS = 12
MONEY_PLACES = 3
"""Three places: a Kuwaiti dinar has 1,000 fils (ISO 4217); a euro amount keeps a zero in the third."""


def _money_field(help_text: str = "") -> models.DecimalField:
    return models.DecimalField(
        max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, default=Decimal("0.00"), help_text=help_text
    )


def _optional_money_field(help_text: str) -> models.DecimalField:
    """An amount the channel may not send: empty means "not said", never 0.00."""
    return models.DecimalField(
        max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, null=True, blank=True, help_text=help_text
    )


class Order(models.Model):
    """One order or reservation, as the channel sent it and as it moved since."""

    restaurant = models.ForeignKey("restaurants.Restaurant", on_delete=models.PROTECT, related_name="orders")
    # Null for orders we create ourselves (POS, staff). PROTECT: an order outlives no connection silently.
    connection = models.ForeignKey(
        "integrations.Connection", on_delete=models.PROTECT, null=True, blank=True, related_name="orders"
    )
    service_type = models.CharField(max_length=20, choices=ServiceType.choices, default=ServiceType.DELIVERY)
    channel_order_id = models.CharField(
        max_length=120, blank=True, help_text=_("The channel's unique id for the order (e.g. 'gb:1234-abcd')")
    )
    display_code = models.CharField(
        max_length=40, blank=True, help_text=_("The channel's short code shown to staff and courier; NOT unique")
    )
    ordered_via = models.CharField(
        max_length=40, blank=True,
        help_text=_("The app or brand the customer ordered in, when the channel runs several")
    )
    table = models.CharField(max_length=40, blank=True, help_text=_("Dine-in: the table, as the channel names it"))

    status = models.CharField(max_length=20, choices=OrderStatus.choices, default=OrderStatus.RECEIVED)
    channel_status = models.CharField(max_length=64, blank=True, help_text=_("The channel's own status code"))
    channel_status_name = models.CharField(max_length=120, blank=True, help_text=_("The channel's name for it"))

    placed_at = models.DateTimeField(default=timezone.now)
    scheduled_for = models.DateTimeField(null=True, blank=True, help_text=_("Empty: as soon as possible"))
    scheduled_earliest = models.DateTimeField(null=True, blank=True, help_text=_("A scheduled window's start"))
    scheduled_latest = models.DateTimeField(null=True, blank=True, help_text=_("A scheduled window's end"))
    confirm_by = models.DateTimeField(null=True, blank=True, help_text=_("The restaurant must confirm before this"))
    estimated_ready_at = models.DateTimeField(null=True, blank=True, help_text=_("The channel's estimate: food ready"))
    estimated_pickup_at = models.DateTimeField(
        null=True, blank=True, help_text=_("The channel's estimate: the courier (or the customer) collects it")
    )
    estimated_dropoff_at = models.DateTimeField(
        null=True, blank=True, help_text=_("The channel's estimate: it reaches the customer")
    )
    # Reservations
    diners = models.PositiveSmallIntegerField(null=True, blank=True)
    reservation_at = models.DateTimeField(null=True, blank=True)

    customer_name = models.CharField(max_length=200, blank=True)
    customer_phone = models.CharField(max_length=40, blank=True)
    customer_phone_code = models.CharField(
        max_length=40, blank=True, help_text=_("The code to give after dialling the channel's masked number")
    )
    customer_email = models.EmailField(blank=True)
    customer_channel_id = models.CharField(
        max_length=120, blank=True, help_text=_("The channel's id of the customer, the same on each of their orders")
    )
    # The company to invoice, when the customer asked for an invoice (empty: no invoice asked).
    invoice_company_name = models.CharField(max_length=200, blank=True)
    invoice_tax_id = models.CharField(max_length=40, blank=True, help_text=_("VAT number, NIF / CIF"))
    invoice_address = models.CharField(max_length=300, blank=True)

    # Delivery address: channels expose it only for own-courier orders.
    address_street = models.CharField(max_length=300, blank=True)
    address_unit = models.CharField(max_length=120, blank=True, help_text=_("Flat, floor, door"))
    address_city = models.CharField(max_length=120, blank=True)
    address_postcode = models.CharField(max_length=20, blank=True)
    address_lat = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    address_lng = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    address_instructions = models.TextField(blank=True)
    address_business_name = models.CharField(
        max_length=200, blank=True, help_text=_("The building or business at the address")
    )
    handover = models.CharField(
        max_length=20, choices=Handover.choices, blank=True, help_text=_("How the customer wants it handed over")
    )

    notes = models.TextField(blank=True, help_text=_("The customer's remarks on the order"))
    allergy_notes = models.TextField(blank=True, help_text=_("The customer's allergies, apart from other remarks"))

    # Handover and requests, as the channel sent them.
    pickup_code = models.CharField(
        max_length=40, blank=True, help_text=_("The code the courier or the customer gives to collect the order")
    )
    courier_code = models.CharField(max_length=40, blank=True, help_text=_("The code that identifies the courier"))
    cutlery_requested = models.BooleanField(null=True, blank=True, help_text=_("Empty: the channel does not say"))
    disposables_requested = models.BooleanField(
        null=True, blank=True, help_text=_("Packaging: include disposable items. Empty: the channel does not say")
    )
    loyalty_code = models.CharField(max_length=120, blank=True, help_text=_("The customer's loyalty card"))
    bundled_with = models.JSONField(
        default=list, blank=True,
        help_text=_("Channel order ids of the other orders one courier collects and delivers with this one"),
    )

    # Money: see orders.totals for what each amount means.
    currency = models.CharField(max_length=3, default="EUR", help_text=_("ISO 4217 code"))
    subtotal_amount = _money_field("Base: lines without VAT (the lines' value as sent when VAT is unknown)")
    vat_amount = models.DecimalField(
        max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, null=True, blank=True, default=Decimal("0.00"),
        help_text=_("Empty: the channel did not say (unknown, not zero)"),
    )
    prices_include_vat = models.BooleanField(
        null=True, blank=True, default=True, help_text=_("No: VAT is added on top of the prices. Empty: not said")
    )
    total_amount = _money_field("The channel's total: lines + fees - discount (+ VAT when added on top)")
    delivery_fee = _money_field()
    service_fee = _optional_money_field("Empty: the channel sent none")
    bag_fee = _optional_money_field("Empty: the channel sent none")
    small_order_surcharge = _optional_money_field("Charged under a minimum basket; empty: the channel sent none")
    extra_fees = models.JSONField(
        default=list, blank=True, help_text=_('Other fees the channel names: [{"name": ..., "amount": "0.30"}]')
    )
    tip_amount = _money_field()
    tip_in_total = models.BooleanField(
        null=True, blank=True, default=True, help_text=_("No: the tip is paid apart from the total. Empty: not said")
    )
    discount_amount = _money_field()
    outside_total = models.JSONField(
        default=list, blank=True,
        help_text=_('Money the channel names that its total leaves out: [{"name": ..., "amount": "1.50"}]'),
    )

    # Cancellation, as far as the channel says.
    cancelled_by = models.CharField(max_length=20, choices=CancelledBy.choices, blank=True)
    cancel_reason_code = models.CharField(max_length=64, blank=True, help_text=_("The channel's code"))
    cancel_reason = models.TextField(blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_products_paid = models.BooleanField(
        null=True, blank=True, help_text=_("The channel still pays the restaurant for the products; empty: not said")
    )
    cancel_payment_strategy = models.CharField(max_length=64, blank=True, help_text=_("The channel's own word"))

    channel_payload = models.JSONField(
        null=True, blank=True, help_text=_("The whole order as the channel last sent it (webhook body or GET response)")
    )

    is_test = models.BooleanField(
        default=False,
        help_text=_("A validation run's test order: kept out of the restaurant's lists, the API and auto-accept"),
    )
    needs_attention = models.BooleanField(default=False)
    attention_reason = models.CharField(max_length=300, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    last_channel_update_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When the channel last told us anything about this order")
    )
    correlation_id = models.CharField(
        max_length=64, blank=True, db_index=True,
        help_text=_("Follows the order from its webhook to every channel call")
    )

    class Meta:
        ordering = ["-placed_at", "-id"]
        constraints = [
            # Nulls are distinct, so orders without a connection never collide.
            models.UniqueConstraint(fields=["connection", "channel_order_id"], name="unique_order_per_connection"),
        ]
        indexes = [
            models.Index(fields=["restaurant", "status"], name="order_restaurant_status"),
            models.Index(fields=["restaurant", "-placed_at"], name="order_restaurant_placed"),
            # The admin list and the API sort every order by this (bench/pages.py: 300 ms at 100,000 rows without).
            models.Index(fields=["-placed_at", "-id"], name="order_placed_desc"),
            models.Index(fields=["connection", "-placed_at"], name="order_connection_placed"),
        ]

    def __str__(self) -> str:
        return f"{self.display_code or self.channel_order_id or self.pk} ({self.get_service_type_display()})"

    @property
    def is_scheduled(self) -> bool:
        """False for "as soon as possible"."""
        return any(when is not None for when in (self.scheduled_for, self.scheduled_earliest, self.scheduled_latest))

    @property
    def vat_known(self) -> bool:
        return self.vat_amount is not None

    @property
    def is_reservation(self) -> bool:
        return self.service_type == ServiceType.RESERVATION

    @property
    def is_final(self) -> bool:
        """True when the order's flow has ended (see ``canonical.state_machine``)."""
        return is_final_for(self.service_type, self.status)

    def recalculate_totals(self, *, save: bool = True) -> Totals:
        """Set subtotal, VAT and total from the lines (options included) and the fee, tip and discount."""
        totals = compute_totals(self.lines.all(), self.delivery_fee, self.tip_amount, self.discount_amount)
        self.subtotal_amount = totals.subtotal_amount
        self.vat_amount = totals.vat_amount
        self.total_amount = totals.total_amount
        if save:
            self.save(update_fields=["subtotal_amount", "vat_amount", "total_amount", "updated_at"])
        return totals
