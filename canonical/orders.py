"""Canonical orders and reservations, and what we tell a channel about them."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from pydantic import Field, model_validator

from ._base import Canonical, UtcDatetime
from .enums import OrderStatus, PaymentMethod, ServiceType
from .money import CENT, LenientDecimal, Money


class Customer(Canonical):
    name: str = ""
    phone: str = ""
    email: str = ""


class Address(Canonical):
    street: str = ""
    city: str = ""
    postcode: str = ""
    lat: LenientDecimal | None = None
    lng: LenientDecimal | None = None
    instructions: str = ""


class OrderLine(Canonical):
    """A product line; its chosen options are child lines (quantity per parent unit)."""

    sku: str = ""
    name: str
    quantity: int = Field(ge=1)
    unit_price: Money = Field(description="gross, VAT included")
    vat_rate: LenientDecimal = Field(default=Decimal("0"), ge=0, description="percent")
    notes: str = ""
    options: tuple[OrderLine, ...] = ()

    def gross_total(self, parent_quantity: int = 1) -> Decimal:
        own = self.unit_price.amount * self.quantity * parent_quantity
        return own + sum(
            (option.gross_total(self.quantity * parent_quantity) for option in self.options), Decimal("0")
        )

    def vat_total(self, parent_quantity: int = 1) -> Decimal:
        gross = self.unit_price.amount * self.quantity * parent_quantity
        own = (gross - gross / (1 + self.vat_rate / 100)).quantize(CENT, rounding=ROUND_HALF_UP)
        return own + sum((option.vat_total(self.quantity * parent_quantity) for option in self.options), Decimal("0"))


class OrderAmounts(Canonical):
    subtotal: Money = Field(description="base, without VAT")
    vat: Money
    total: Money = Field(description="what the customer pays")
    delivery_fee: Money
    tip: Money
    discount: Money


class Payment(Canonical):
    method: PaymentMethod
    amount: Money
    prepaid: bool


class DeliveryInfo(Canonical):
    by_restaurant: bool = Field(False, description="the restaurant's own courier (only then may we post locations)")
    driver_name: str = ""
    driver_phone: str = ""
    pickup_eta: UtcDatetime | None = None
    dropoff_eta: UtcDatetime | None = None
    tracking_url: str = ""
    courier_status: str = ""


class CanonicalOrder(Canonical):
    """An order, or a reservation (service type ``reservation`` with diners and a time)."""

    channel_order_id: str = Field(min_length=1)
    display_code: str = Field("", description="the channel's short code; NOT unique")
    service_type: ServiceType
    status: OrderStatus | None = None
    channel_status: str = ""
    channel_status_name: str = ""
    placed_at: UtcDatetime
    scheduled_for: UtcDatetime | None = Field(None, description="None means as soon as possible")
    diners: int | None = Field(None, ge=1)
    reservation_at: UtcDatetime | None = None
    currency: str
    customer: Customer = Customer()
    delivery_address: Address | None = None
    notes: str = ""
    lines: tuple[OrderLine, ...] = ()
    amounts: OrderAmounts
    payments: tuple[Payment, ...] = ()
    delivery: DeliveryInfo | None = None

    @model_validator(mode="after")
    def _consistent(self) -> CanonicalOrder:
        if self.service_type == ServiceType.RESERVATION and (self.diners is None or self.reservation_at is None):
            raise ValueError("a reservation needs diners and reservation_at")
        for money in self._all_money():
            if money.currency != self.currency:
                raise ValueError(f"amount in {money.currency} on an order in {self.currency}")
        return self

    def _all_money(self) -> list[Money]:
        amounts = self.amounts
        found = [amounts.subtotal, amounts.vat, amounts.total, amounts.delivery_fee, amounts.tip, amounts.discount]
        found += [payment.amount for payment in self.payments]

        def walk(lines: tuple[OrderLine, ...]) -> None:
            for line in lines:
                found.append(line.unit_price)
                walk(line.options)

        walk(self.lines)
        return found

    @property
    def is_reservation(self) -> bool:
        return self.service_type == ServiceType.RESERVATION

    def ref(self) -> OrderRef:
        return OrderRef(
            channel_order_id=self.channel_order_id, service_type=self.service_type, display_code=self.display_code
        )


class OrderRef(Canonical):
    """What a client needs to address an order on the channel."""

    channel_order_id: str = Field(min_length=1)
    service_type: ServiceType
    display_code: str = ""

    @property
    def is_reservation(self) -> bool:
        return self.service_type == ServiceType.RESERVATION


class StatusUpdate(Canonical):
    """A status the restaurant wants the channel to know."""

    status: OrderStatus
    reason: str = Field("", description="required by most channels to reject or cancel")
    prep_minutes: int | None = Field(None, ge=0, le=24 * 60)
    occurred_at: UtcDatetime | None = None


class DriverPosition(Canonical):
    lat: LenientDecimal = Field(ge=-90, le=90)
    lng: LenientDecimal = Field(ge=-180, le=180)
    recorded_at: UtcDatetime
    accuracy_m: int | None = Field(None, ge=0)
