"""Canonical orders and reservations, and what we tell a channel about them.

How a module fills an order (every field past the basics is optional):

- **Not said is not zero.** A value the channel does not send stays None (or
  empty text): VAT (``amounts.vat``, a line's ``vat_rate``), a fee, cutlery,
  whether a payment is prepaid. The platform shows None as unknown, never 0.00.
- **Lines**: ``unit_price`` is a line's own price; options are child lines
  with their own price and a quantity per parent unit. A channel whose item
  price already holds its options gives the base price (Uber's
  ``base_unit_price``), or the options are counted twice.
- **Money**: ``amounts.total`` is the channel's total; it is explained by
  lines + fees (delivery, service, bag, small-order surcharge, extra fees,
  tip) − discount, + VAT when ``prices_include_vat`` is False.
  ``CanonicalOrder.unaccounted()`` says how far the stated amounts are from
  that; the contract kit's ``assert_order_is_sound`` requires it to be ~0.
- **Times**: ``placed_at``; a scheduled order's ``scheduled_for`` (and/or a
  window) and ``confirm_by``; the channel's ``estimates`` (ready, pickup,
  drop-off), each its own, none standing in for another.
- **What the kitchen and the counter need**: ``allergy_notes`` apart from
  ``notes`` (per line too), ``removed`` ingredients, ``pickup_code`` /
  ``courier_code``, ``cutlery_requested``, ``disposables_requested``.
- **Who and for whom**: ``customer.channel_customer_id`` (the channel's id of
  the customer), ``customer.invoicing`` (the company to invoice, when asked),
  ``bundled_with`` (other orders the same courier takes: release them together).
- **Cancellation** (who, the channel's code, words) on the order or on a
  status event; the courier's news as a ``COURIER_UPDATE`` event (``events``).
- ``channel_payload``: the order as the channel sent it (webhook body or GET
  response), kept for support; keeping it does not count as reading it.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, model_validator

from ._base import Canonical, UtcDatetime
from .enums import CancelledBy, Handover, OrderStatus, PaymentMethod, RefusalReason, ServiceType
from .money import CENT, LenientDecimal, Money


def _plain_copy(value: Any) -> Any:
    """A plain copy of a JSON value through the base types' own methods.

    Keeping the channel's raw order is not reading it: a dict or list
    subclass that notes what is read (the contract kit's) sees nothing here,
    so a module that keeps its payload still has every field it skipped caught.
    """
    if isinstance(value, dict):
        return {key: _plain_copy(item) for key, item in dict.items(value)}
    if isinstance(value, list):
        return [_plain_copy(item) for item in list.__iter__(value)]
    return value


RawPayload = Annotated[dict[str, Any], BeforeValidator(_plain_copy)]


class InvoicingDetails(Canonical):
    """The company the customer wants the order invoiced to (present only when an invoice is asked for)."""

    company_name: str = ""
    tax_id: str = Field("", description="the company's tax number (VAT number, NIF / CIF)")
    address: str = Field("", description="the company's address, as one line")


class Customer(Canonical):
    name: str = ""
    phone: str = ""
    phone_code: str = Field("", description="the code to give after dialling the channel's masked phone number")
    email: str = ""
    channel_customer_id: str = Field(
        "", description="the channel's id of the customer, the same on each of their orders (Glovo's hash)"
    )
    invoicing: InvoicingDetails | None = Field(None, description="None: the customer asked for no invoice")


class Address(Canonical):
    street: str = Field("", description="street and number (or the channel's whole address line when it sends one)")
    unit: str = Field("", description="flat, floor, door: the part after the street")
    city: str = ""
    postcode: str = ""
    lat: LenientDecimal | None = None
    lng: LenientDecimal | None = None
    instructions: str = Field("", description="for the courier: how to find the door")
    business_name: str = Field("", description="the building or business at the address")
    handover: Handover | None = Field(None, description="how the customer wants it handed over; None: not said")


class RemovedIngredient(Canonical):
    """Something the customer asked to leave out of a line ("no pickles")."""

    name: str = Field(min_length=1)
    sku: str = Field("", description="the store's own id of the ingredient, when the channel sends it")
    quantity: int | None = Field(None, ge=1, description="how many the line would have had; None: not said")


class OrderLine(Canonical):
    """A product line; its chosen options are child lines (quantity per parent unit).

    ``unit_price`` is the line's **own** price per unit: its options are not in
    it, each option is a child line with its own price (a channel whose item
    price already includes the options gives its base price here). Whether
    prices hold VAT is the order's ``amounts.prices_include_vat``.
    """

    sku: str = ""
    name: str
    quantity: int = Field(ge=1)
    unit_price: Money = Field(description="the line's own unit price, options not included")
    vat_rate: LenientDecimal | None = Field(default=None, ge=0, description="percent; None: the channel did not say")
    notes: str = Field("", description="the customer's remark on this line")
    allergy_notes: str = Field("", description="the customer's allergy note on this line, apart from other remarks")
    removed: tuple[RemovedIngredient, ...] = Field((), description="ingredients the customer asked to leave out")
    group: str = Field("", description="for an option: the choice it answers ('Choose a side')")
    channel_line_id: str = Field("", description="the channel's id of this line (e.g. to modify the order later)")
    for_person: str = Field("", description="in a group order: the participant this line is for")
    options: tuple[OrderLine, ...] = ()

    def gross_total(self, parent_quantity: int = 1) -> Decimal:
        """What this line comes to with its options, at the prices as sent."""
        own = self.unit_price.amount * self.quantity * parent_quantity
        return own + sum(
            (option.gross_total(self.quantity * parent_quantity) for option in self.options), Decimal("0")
        )

    def vat_total(self, parent_quantity: int = 1) -> Decimal | None:
        """VAT inside this line and its options (prices holding VAT); None when a rate is unknown."""
        if self.vat_rate is None:
            return None
        gross = self.unit_price.amount * self.quantity * parent_quantity
        own = (gross - gross / (1 + self.vat_rate / 100)).quantize(CENT, rounding=ROUND_HALF_UP)
        options = [option.vat_total(self.quantity * parent_quantity) for option in self.options]
        if any(vat is None for vat in options):
            return None
        return own + sum((vat for vat in options if vat is not None), Decimal("0"))


class Fee(Canonical):
    """A charge of the channel's beyond the named ones (e.g. Uber's pick-and-pack fee)."""

    name: str = Field(min_length=1, description="the channel's name for it")
    amount: Money


class OrderAmounts(Canonical):
    """The order's money as the channel states it; a fee the channel does not send is None.

    The channel's total is explained by *lines + fees − discount* (+ VAT when
    it is added on top of the prices): ``CanonicalOrder.unaccounted`` says
    how far the stated amounts are from that.
    """

    subtotal: Money = Field(description="the lines' base, without VAT (the lines' value as sent when VAT is unknown)")
    vat: Money | None = Field(None, description="tax on the order; None: the channel did not say (unknown, not 0)")
    prices_include_vat: bool | None = Field(
        True, description="True: prices hold VAT; False: VAT is added on top (in the total); None: not said"
    )
    total: Money = Field(description="the order's total as the channel states it (what the customer pays)")
    delivery_fee: Money | None = None
    service_fee: Money | None = None
    bag_fee: Money | None = None
    small_order_surcharge: Money | None = Field(None, description="charged when the basket is under a minimum")
    extra_fees: tuple[Fee, ...] = Field((), description="other charges the channel names")
    tip: Money | None = Field(None, description="for the courier or the restaurant")
    tip_in_total: bool | None = Field(
        True, description="True: the total holds the tip; False: the tip is paid apart; None: the channel does not say"
    )
    discount: Money | None = Field(None, description="taken off the total (promotions, vouchers)")
    outside_total: tuple[Fee, ...] = Field(
        (), description="money the channel names that its total leaves out (e.g. the channel's own fee on the order)"
    )

    def fees(self) -> tuple[Fee, ...]:
        """Every fee the channel sent inside its total, by name; the tip too unless it is known to be paid apart."""
        tip = self.tip if self.tip_in_total is not False else None
        named = (
            ("delivery", self.delivery_fee), ("service", self.service_fee), ("bag", self.bag_fee),
            ("small_order", self.small_order_surcharge), ("tip", tip),
        )
        return tuple(Fee(name=name, amount=amount) for name, amount in named if amount is not None) + self.extra_fees

    def fees_total(self) -> Decimal:
        return sum((fee.amount.amount for fee in self.fees()), Decimal("0"))

    def all_money(self) -> list[Money]:
        found = [self.subtotal, self.total] + [fee.amount for fee in self.fees() + self.outside_total]
        return found + [money for money in (self.vat, self.discount, self.tip) if money is not None]


class Payment(Canonical):
    method: PaymentMethod
    amount: Money
    prepaid: bool | None = Field(None, description="already paid on the channel, nothing to collect; None: not said")
    channel_method: str = Field("", description="the channel's own word for how it is paid ('CASH', 'DELAYED')")
    cash_to_collect: Money | None = Field(None, description="cash the restaurant's courier collects at handover")
    cash_tendered: Money | None = Field(None, description="what the customer will pay with in cash (for change)")


class Cancellation(Canonical):
    """Who cancelled an order and why, as far as the channel says."""

    by: CancelledBy = CancelledBy.UNKNOWN
    reason_code: str = Field("", description="the channel's code ('USER_ERROR', 'PRODUCTS_NOT_AVAILABLE')")
    reason: str = Field("", description="in words: the channel's text, or the documented meaning of the code")
    cancelled_at: UtcDatetime | None = None
    products_paid: bool | None = Field(
        None, description="the channel still pays the restaurant for the products (Glovo PAY_PRODUCTS); None: not said"
    )
    payment_strategy: str = Field("", description="the channel's own word for it ('PAY_NOTHING', 'PAY_PRODUCTS')")


class Estimates(Canonical):
    """The channel's expected times; each its own, none standing in for another."""

    ready_at: UtcDatetime | None = Field(None, description="when the kitchen should have it ready for pickup")
    pickup_at: UtcDatetime | None = Field(None, description="when the courier (or the customer) should collect it")
    dropoff_at: UtcDatetime | None = Field(None, description="when it should reach the customer")


class DeliveryInfo(Canonical):
    by_restaurant: bool = Field(False, description="the restaurant's own courier (only then may we post locations)")
    driver_name: str = ""
    driver_phone: str = ""
    phone_code: str = Field("", description="the code to reach the courier through the channel's phone bridge")
    pickup_eta: UtcDatetime | None = Field(None, description="the courier's expected arrival at the restaurant")
    dropoff_eta: UtcDatetime | None = None
    tracking_url: str = ""
    courier_status: str = ""
    vehicle: str = Field("", description="the courier's vehicle as the channel words it (make, colour, plate)")
    picture_url: str = Field("", description="the courier's picture, for the counter to recognise them")


class CanonicalOrder(Canonical):
    """An order, or a reservation (service type ``reservation`` with diners and a time).

    Everything past the basics is optional: a module sets what its channel
    sends and leaves the rest at "not said" (None, empty), never a guess.
    """

    channel_order_id: str = Field(min_length=1)
    display_code: str = Field("", description="the channel's short code; NOT unique")
    ordered_via: str = Field(
        "", description="the app or brand the customer ordered in, when one channel runs several (UBER_EATS, POSTMATES)"
    )
    table: str = Field("", description="dine-in: the table the order is for, as the channel names it")
    service_type: ServiceType
    status: OrderStatus | None = None
    channel_status: str = ""
    channel_status_name: str = ""
    placed_at: UtcDatetime
    scheduled_for: UtcDatetime | None = Field(None, description="None means as soon as possible")
    scheduled_earliest: UtcDatetime | None = Field(None, description="a scheduled window's start")
    scheduled_latest: UtcDatetime | None = Field(None, description="a scheduled window's end")
    confirm_by: UtcDatetime | None = Field(None, description="the restaurant must confirm before this")
    estimates: Estimates = Estimates()
    diners: int | None = Field(None, ge=1)
    reservation_at: UtcDatetime | None = None
    currency: str
    customer: Customer = Customer()
    delivery_address: Address | None = None
    notes: str = Field("", description="the customer's remarks on the order")
    allergy_notes: str = Field("", description="the customer's allergies, kept apart from other remarks")
    pickup_code: str = Field("", description="the code the courier or the customer gives to collect the order")
    courier_code: str = Field("", description="the code that identifies the courier at the counter")
    cutlery_requested: bool | None = Field(None, description="None: the channel does not say")
    disposables_requested: bool | None = Field(
        None, description="packaging: include disposable items (napkins, straws, cutlery); None: not said"
    )
    loyalty_code: str = Field("", description="the customer's loyalty card for this restaurant")
    bundled_with: tuple[str, ...] = Field(
        (), description="channel order ids of the other orders one courier collects and delivers with this one"
    )
    lines: tuple[OrderLine, ...] = ()
    amounts: OrderAmounts
    payments: tuple[Payment, ...] = ()
    delivery: DeliveryInfo | None = None
    cancellation: Cancellation | None = None
    channel_payload: RawPayload | None = Field(
        None, repr=False, description="the whole order as the channel sent it (webhook body or GET response)"
    )

    @model_validator(mode="after")
    def _consistent(self) -> CanonicalOrder:
        if self.service_type == ServiceType.RESERVATION and (self.diners is None or self.reservation_at is None):
            raise ValueError("a reservation needs diners and reservation_at")
        earliest, latest = self.scheduled_earliest, self.scheduled_latest
        if earliest and latest and earliest > latest:
            raise ValueError("a scheduled window must start before it ends")
        target = self.scheduled_for
        if target and ((earliest and target < earliest) or (latest and target > latest)):
            raise ValueError("scheduled_for lies outside the scheduled window")
        for money in self._all_money():
            if money.currency != self.currency:
                raise ValueError(f"amount in {money.currency} on an order in {self.currency}")
        return self

    def _all_money(self) -> list[Money]:
        found = self.amounts.all_money()
        for payment in self.payments:
            found += [money for money in (payment.amount, payment.cash_to_collect, payment.cash_tendered) if money]

        def walk(lines: tuple[OrderLine, ...]) -> None:
            for line in lines:
                found.append(line.unit_price)
                walk(line.options)

        walk(self.lines)
        return found

    @property
    def is_reservation(self) -> bool:
        return self.service_type == ServiceType.RESERVATION

    @property
    def is_scheduled(self) -> bool:
        """A target time or a window was given; False means as soon as possible."""
        return any((self.scheduled_for, self.scheduled_earliest, self.scheduled_latest))

    def lines_total(self) -> Decimal:
        """The lines with their options, at the prices as sent."""
        return sum((line.gross_total() for line in self.lines), Decimal("0"))

    def unaccounted(self) -> Decimal | None:
        """How far the channel's total is from *lines + fees − discount* (+ VAT added on top): 0 when it adds up.

        With VAT on top (``prices_include_vat`` False) the VAT is part of the
        sum, and an unknown VAT makes the answer unknown (None). When the
        channel does not say where its VAT is, or whether its total holds the
        tip, the closest of the readings counts. Money outside the total
        (``outside_total``) is not part of the sum. Never rejects an order:
        the contract kit checks it.
        """
        amounts = self.amounts
        readings = [self._unaccounted(amounts)]
        if amounts.tip is not None and amounts.tip_in_total is None:
            readings.append(self._unaccounted(amounts.model_copy(update={"tip_in_total": False})))
        known = [reading for reading in readings if reading is not None]
        return min(known, key=abs) if known else None

    def _unaccounted(self, amounts: OrderAmounts) -> Decimal | None:
        expected = self.lines_total() + amounts.fees_total()
        if amounts.discount is not None:
            expected -= amounts.discount.amount
        inside = amounts.total.amount - expected
        if amounts.prices_include_vat is True:
            return inside
        if amounts.vat is None:
            return None if amounts.prices_include_vat is False else inside
        on_top = inside - amounts.vat.amount
        if amounts.prices_include_vat is False:
            return on_top
        return min(inside, on_top, key=abs)

    def ref(self) -> OrderRef:
        return OrderRef(
            channel_order_id=self.channel_order_id, service_type=self.service_type, display_code=self.display_code,
            scheduled=self.is_scheduled,
        )


class OrderRef(Canonical):
    """What a client needs to address an order on the channel."""

    channel_order_id: str = Field(min_length=1)
    service_type: ServiceType
    display_code: str = ""
    our_reference: str = Field("", description="the platform's own reference of the order, for channels that keep one")
    scheduled: bool = Field(
        False, description="a scheduled order, for channels that confirm scheduled orders apart (Deliveroo's confirmed)"
    )

    @property
    def is_reservation(self) -> bool:
        return self.service_type == ServiceType.RESERVATION


class StatusUpdate(Canonical):
    """A status the restaurant wants the channel to know."""

    status: OrderStatus
    reason: str = Field("", description="required by most channels to reject or cancel")
    reason_code: RefusalReason | None = Field(None, description="why, for a rejection or cancellation; None: not said")
    unavailable_items: tuple[str, ...] = Field(
        (), description="the SKUs (or names) of the items out of stock, when that is the reason"
    )
    prep_minutes: int | None = Field(None, ge=0, le=24 * 60)
    occurred_at: UtcDatetime | None = None


class DriverPosition(Canonical):
    lat: LenientDecimal = Field(ge=-90, le=90)
    lng: LenientDecimal = Field(ge=-180, le=180)
    recorded_at: UtcDatetime
    accuracy_m: int | None = Field(None, ge=0)
