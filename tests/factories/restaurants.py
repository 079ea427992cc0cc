"""Factories for the restaurants app.

A ``RestaurantFactory`` restaurant offers all four services, switched on, and has no
schedule (so it is closed until given ranges). Pass ``services=[...]`` to offer fewer.
"""

from __future__ import annotations

from datetime import time, timedelta

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from restaurants.models import (
    CalendarException,
    Pause,
    Restaurant,
    RestaurantMember,
    ScheduleRange,
    ServiceAvailability,
    ServiceType,
    Weekday,
)

DEFAULT_PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    """An auth user who can log in with ``DEFAULT_PASSWORD``."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password(DEFAULT_PASSWORD)


class RestaurantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Restaurant
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Casa Pepe {n}")
    slug = factory.Sequence(lambda n: f"casa-pepe-{n}")
    timezone = "Europe/Madrid"
    currency = "EUR"
    address = "Calle Mayor 1, Madrid"
    phone = "+34 910 000 000"

    @factory.post_generation
    def services(self, create: bool, extracted: list[str] | None, **kwargs) -> None:
        """Offer ``extracted`` service types (default: all four), switched on."""
        if not create:
            return
        offered = ServiceType.values if extracted is None else extracted
        ServiceAvailability.objects.bulk_create(
            ServiceAvailability(restaurant=self, service_type=service_type, active=True) for service_type in offered
        )


class RestaurantMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RestaurantMember

    restaurant = factory.SubFactory(RestaurantFactory)
    user = factory.SubFactory(UserFactory)
    role = RestaurantMember.Role.MANAGER


class ServiceAvailabilityFactory(factory.django.DjangoModelFactory):
    """Use with ``RestaurantFactory(services=[])`` or a type the restaurant does not offer yet."""

    class Meta:
        model = ServiceAvailability
        django_get_or_create = ["restaurant", "service_type"]

    restaurant = factory.SubFactory(RestaurantFactory, services=[])
    service_type = ServiceType.DELIVERY
    active = True


class ScheduleRangeFactory(factory.django.DjangoModelFactory):
    """Every day 12:00–16:00 for all services unless told otherwise."""

    class Meta:
        model = ScheduleRange

    restaurant = factory.SubFactory(RestaurantFactory)
    service_type = None
    start_day = Weekday.MONDAY
    end_day = Weekday.SUNDAY
    start_time = time(12, 0)
    end_time = time(16, 0)


class CalendarExceptionFactory(factory.django.DjangoModelFactory):
    """A one-day closing starting now unless told otherwise."""

    class Meta:
        model = CalendarException

    restaurant = factory.SubFactory(RestaurantFactory)
    service_type = None
    starts_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyAttribute(lambda exception: exception.starts_at + timedelta(days=1))
    kind = CalendarException.Kind.CLOSED
    reason = "Holiday"


class PauseFactory(factory.django.DjangoModelFactory):
    """A 30-minute pause of every service starting now unless told otherwise."""

    class Meta:
        model = Pause

    restaurant = factory.SubFactory(RestaurantFactory)
    service_type = None
    created_at = factory.LazyFunction(timezone.now)
    until = factory.LazyAttribute(lambda pause: pause.created_at + timedelta(minutes=30))
    reason = "kitchen overloaded"
    created_by = None
    resumed_at = None
