"""Query parameters of the order and reservation lists, validated like a body (errors name the parameter)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.request import Request

from orders.models import Order, OrderStatus

from .serializers.orders import ORDER_SERVICE_TYPES


class OrderFilterSerializer(serializers.Serializer):
    restaurant = serializers.IntegerField(required=False, min_value=1)
    status = serializers.ChoiceField(choices=OrderStatus.choices, required=False)
    service_type = serializers.ChoiceField(choices=ORDER_SERVICE_TYPES, required=False)
    channel = serializers.RegexField(r"^[A-Za-z0-9_\-]{1,60}$", required=False)
    placed_after = serializers.DateTimeField(required=False)
    placed_before = serializers.DateTimeField(required=False)
    since = serializers.DateTimeField(required=False)
    needs_attention = serializers.BooleanField(required=False, allow_null=True, default=None)


class ReservationFilterSerializer(OrderFilterSerializer):
    service_type = None


def filter_orders(queryset: QuerySet[Order], request: Request, serializer_class=OrderFilterSerializer):
    params = serializer_class(data=request.query_params)
    params.is_valid(raise_exception=True)
    data = params.validated_data
    if "restaurant" in data:
        queryset = queryset.filter(restaurant_id=data["restaurant"])
    if "status" in data:
        queryset = queryset.filter(status=data["status"])
    if "service_type" in data:
        queryset = queryset.filter(service_type=data["service_type"])
    if "channel" in data:
        # A channel's id or its module slug ("sandbox_market"), whichever the POS knows.
        value = data["channel"]
        match = Q(connection__channel__module=value)
        if value.isdigit():
            match |= Q(connection__channel_id=int(value))
        queryset = queryset.filter(match)
    if "placed_after" in data:
        queryset = queryset.filter(placed_at__gte=data["placed_after"])
    if "placed_before" in data:
        queryset = queryset.filter(placed_at__lt=data["placed_before"])
    if "since" in data:
        queryset = queryset.filter(updated_at__gt=data["since"])
    if data.get("needs_attention") is not None:
        queryset = queryset.filter(needs_attention=data["needs_attention"])
    return queryset


def _param(name: str, type_, description: str, enum=None) -> OpenApiParameter:
    return OpenApiParameter(name, type_, OpenApiParameter.QUERY, required=False, description=description, enum=enum)


COMMON_PARAMETERS = [
    _param("restaurant", int, "Only this restaurant (one of the key's)"),
    _param("status", str, "Canonical status", enum=OrderStatus.values),
    _param("channel", str, "The channel's id or its module slug, e.g. sandbox_market"),
    _param("placed_after", OpenApiTypes.DATETIME, "Placed at or after (ISO 8601)"),
    _param("placed_before", OpenApiTypes.DATETIME, "Placed before (ISO 8601)"),
    _param("since", OpenApiTypes.DATETIME, "Changed after this instant (polling); then oldest change first"),
    _param("needs_attention", bool, "Only orders that need (or don't need) a human"),
]
ORDER_PARAMETERS = [
    *COMMON_PARAMETERS,
    _param("service_type", str, "delivery, collection or insitu", enum=[v for v, _ in ORDER_SERVICE_TYPES]),
]
RESERVATION_PARAMETERS = COMMON_PARAMETERS
