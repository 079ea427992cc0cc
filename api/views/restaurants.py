"""The key's restaurants, and how each one's channel connections are doing."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from integrations.models import Connection

from .. import scoping
from ..serializers.restaurants import ConnectionHealthSerializer, RestaurantSerializer
from .base import PosApiView
from .errors_schema import ERRORS


class RestaurantList(PosApiView):
    serializer_class = RestaurantSerializer

    @extend_schema(operation_id="restaurants_list", responses={200: RestaurantSerializer(many=True), **ERRORS})
    def get(self, request) -> Response:
        return Response(RestaurantSerializer(scoping.restaurants(request).order_by("name"), many=True).data)


class RestaurantDetail(PosApiView):
    serializer_class = RestaurantSerializer

    @extend_schema(operation_id="restaurants_read", responses={200: RestaurantSerializer, **ERRORS})
    def get(self, request, pk: int) -> Response:
        return Response(RestaurantSerializer(scoping.restaurant_or_404(request, pk)).data)


class ConnectionList(PosApiView):
    serializer_class = ConnectionHealthSerializer

    @extend_schema(
        operation_id="connections_health", responses={200: ConnectionHealthSerializer(many=True), **ERRORS}
    )
    def get(self, request, pk: int) -> Response:
        restaurant = scoping.restaurant_or_404(request, pk)
        connections = Connection.objects.filter(restaurant=restaurant).select_related("channel")
        return Response(ConnectionHealthSerializer(connections, many=True).data)
