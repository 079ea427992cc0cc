"""What a key may touch: its restaurants, and only those. Anything else is "not found" (never "forbidden")."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from rest_framework.request import Request

from orders.models import Order
from restaurants.models import Restaurant

from .models import ApiKey


def restaurants(request: Request) -> QuerySet[Restaurant]:
    api_key: ApiKey = request.auth
    return Restaurant.objects.filter(api_keys=api_key)


def restaurant_or_404(request: Request, pk: int) -> Restaurant:
    # A key of another restaurant gets 404: a 403 would confirm that the restaurant exists.
    return get_object_or_404(restaurants(request), pk=pk)


def orders(request: Request) -> QuerySet[Order]:
    return Order.objects.filter(restaurant__api_keys=request.auth)
