"""Factories for the orders app: orders, reservations, lines, payments, deliveries and history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from canonical import CanonicalOrder, Money, OrderAmounts
from canonical import OrderLine as CanonicalLine
from orders.models import (
    Delivery,
    DriverLocation,
    Order,
    OrderLine,
    OrderStatus,
    Payment,
    PaymentMethod,
    StatusChange,
    StatusSource,
)
from restaurants.models import ServiceType
from tests.factories.restaurants import RestaurantFactory


class OrderFactory(factory.django.DjangoModelFactory):
    """A delivery order just received, without a connection (as if created by us)."""

    class Meta:
        model = Order

    restaurant = factory.SubFactory(RestaurantFactory)
    connection = None
    service_type = ServiceType.DELIVERY
    status = OrderStatus.RECEIVED
    channel_order_id = factory.Sequence(lambda n: f"ord-{n:06d}")
    display_code = factory.Sequence(lambda n: f"A{n % 1000:03d}")
    placed_at = factory.LazyFunction(timezone.now)
    customer_name = factory.Faker("name")
    customer_phone = "+34600000000"
    address_street = "Carrer de Mallorca 1"
    address_city = "Barcelona"
    address_postcode = "08008"


class ReservationFactory(OrderFactory):
    """A reservation request for four, tomorrow evening."""

    service_type = ServiceType.RESERVATION
    status = OrderStatus.REQUESTED
    diners = 4
    reservation_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=1))
    address_street = ""
    address_city = ""
    address_postcode = ""


class OrderLineFactory(factory.django.DjangoModelFactory):
    """A product line (no parent)."""

    class Meta:
        model = OrderLine

    order = factory.SubFactory(OrderFactory)
    parent = None
    sku = factory.Sequence(lambda n: f"sku-{n}")
    name = "Pizza margherita"
    quantity = 1
    unit_price = Decimal("10.00")
    vat_rate = Decimal("10.00")
    position = factory.Sequence(lambda n: n)


class OptionLineFactory(OrderLineFactory):
    """An option line under a product line of the same order."""

    parent = factory.SubFactory(OrderLineFactory)
    order = factory.SelfAttribute("parent.order")
    name = "Extra cheese"
    unit_price = Decimal("1.50")


class PaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Payment

    order = factory.SubFactory(OrderFactory)
    method = PaymentMethod.ONLINE
    amount = Decimal("10.00")
    prepaid = True


class DeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delivery

    order = factory.SubFactory(OrderFactory)
    driver_name = factory.Faker("first_name")
    driver_phone = "+34611111111"
    pickup_eta = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(minutes=15))
    dropoff_eta = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(minutes=35))
    tracking_url = "https://track.example.com/abc"
    courier_status = "ASSIGNED"


class DriverLocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DriverLocation

    order = factory.SubFactory(OrderFactory)
    lat = Decimal("41.390205")
    lng = Decimal("2.154007")
    recorded_at = factory.LazyFunction(timezone.now)
    accuracy_m = 10


class StatusChangeFactory(factory.django.DjangoModelFactory):
    """A history entry; it does not move the order (use orders.status.apply_status for that)."""

    class Meta:
        model = StatusChange

    order = factory.SubFactory(OrderFactory)
    from_status = OrderStatus.RECEIVED
    to_status = OrderStatus.ACCEPTED
    source = StatusSource.CHANNEL
    applied = True
    reason = "forward"
    occurred_at = factory.LazyFunction(timezone.now)


def canonical_order(**fields) -> CanonicalOrder:
    """What a channel sends for one pizza, as a canonical order; ``fields`` override (status, service type, ...)."""

    def eur(amount: str) -> Money:
        return Money(amount=Decimal(amount), currency="EUR")

    return CanonicalOrder(
        **{
            "channel_order_id": "CH-0001",
            "display_code": "B7",
            "service_type": ServiceType.DELIVERY,
            "placed_at": timezone.now(),
            "currency": "EUR",
            "lines": (CanonicalLine(sku="PIZ-1", name="Pizza margherita", quantity=1, unit_price=eur("11.00")),),
            "amounts": OrderAmounts(
                subtotal=eur("10.00"), vat=eur("1.00"), total=eur("11.00"),
                delivery_fee=eur("0"), tip=eur("0"), discount=eur("0"),
            ),
            **fields,
        }
    )
