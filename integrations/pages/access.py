"""Who sees which restaurant: members see theirs, staff see all, everyone else gets a 404."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from restaurants.models import Restaurant


def visible_restaurants(user: AbstractBaseUser) -> QuerySet[Restaurant]:
    if user.is_staff:
        return Restaurant.objects.all()
    return Restaurant.objects.filter(memberships__user=user)


def restaurant_for(user: AbstractBaseUser, slug: str) -> Restaurant:
    # 404, not 403: a restaurant user must not learn which other restaurants exist.
    return get_object_or_404(visible_restaurants(user), slug=slug)
