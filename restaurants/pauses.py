"""Pausing and resuming a restaurant: the "we are overwhelmed, stop the orders" button.

Pauses are history: resuming stamps ``resumed_at`` instead of deleting, so support can
see who stopped a restaurant, why and for how long.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q
from django.utils import timezone

from restaurants.models import Pause, Restaurant, ServiceType


def pause(
    restaurant: Restaurant,
    until: datetime | None,
    reason: str,
    service_type: str | None = None,
    by: AbstractBaseUser | None = None,
) -> Pause:
    """Stop ``restaurant`` (or only ``service_type``) selling from now until ``until``.

    ``until=None`` pauses until someone calls ``resume``. A pause that would already be
    over, or a naive ``until``, is refused: it would look like it worked and do nothing.
    """
    now = timezone.now()
    if until is not None:
        if timezone.is_naive(until):
            raise ValueError("pause needs an aware 'until'")
        if until <= now:
            raise ValueError("pause 'until' must be in the future")
    if service_type is not None and service_type not in ServiceType.values:
        raise ValueError(f"unknown service type {service_type!r}")
    return Pause.objects.create(
        restaurant=restaurant,
        service_type=service_type,
        until=until,
        reason=reason,
        created_at=now,
        created_by=by,
    )


def resume(
    restaurant: Restaurant,
    service_type: str | None = None,
    by: AbstractBaseUser | None = None,
) -> int:
    """End the active pauses now and return how many were ended.

    ``service_type=None`` resumes everything (every scope): "we are back". A service type
    resumes only the pauses scoped to that service; a restaurant-wide pause stays, since
    lifting it for one service would silently reopen the others.
    """
    now = timezone.now()
    pauses = Pause.objects.filter(restaurant=restaurant, resumed_at__isnull=True).filter(
        Q(until__isnull=True) | Q(until__gt=now)
    )
    if service_type is not None:
        pauses = pauses.filter(service_type=service_type)
    return pauses.update(resumed_at=now, resumed_by=by)
