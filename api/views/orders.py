"""Orders and reservations: list, read, move the status, report the courier's position.

Thin: scope and validate here; the outbound services change the order and tell its channel.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from canonical.state_machine import decide
from integrations.models import SyncJob
from integrations.outbound.services import change_order_status, report_driver_location
from orders.models import Delivery, Order, OrderLine
from restaurants.models import ServiceType

from .. import scoping
from ..errors import Conflict
from ..filters import ORDER_PARAMETERS, RESERVATION_PARAMETERS, ReservationFilterSerializer, filter_orders
from ..pagination import OrderCursorPagination
from ..serializers.orders import (
    DriverLocationSerializer,
    OrderSerializer,
    OrderStatusChangeSerializer,
    ReservationSerializer,
    ReservationStatusChangeSerializer,
)
from .base import PosApiView
from .errors_schema import ERRORS, ERRORS_WRITE


def _with_details(queryset: QuerySet[Order]) -> QuerySet[Order]:
    """Everything the serializers read, in a fixed number of queries whatever the page size."""
    return queryset.select_related("connection__channel").prefetch_related(
        Prefetch(
            "lines",
            queryset=OrderLine.objects.filter(parent__isnull=True).prefetch_related("options"),
            to_attr="product_lines",
        ),
        "payments",
        Prefetch("deliveries", queryset=Delivery.objects.order_by("id")),
        Prefetch(
            "sync_jobs",
            queryset=SyncJob.objects.filter(kind=SyncJob.Kind.ORDER_STATUS).order_by("-created_at", "-id"),
            to_attr="status_jobs",
        ),
    )


class _OrderScope:
    reservations = False

    def scoped(self) -> QuerySet[Order]:
        queryset = scoping.orders(self.request).filter(is_test=False)  # a validation run's test orders are not theirs
        if self.reservations:
            return queryset.filter(service_type=ServiceType.RESERVATION)
        return queryset.exclude(service_type=ServiceType.RESERVATION)

    def get_order(self, pk: int) -> Order:
        return get_object_or_404(_with_details(self.scoped()), pk=pk)


class OrderList(_OrderScope, PosApiView):
    serializer_class = OrderSerializer
    pagination_class = OrderCursorPagination

    def get_queryset(self) -> QuerySet[Order]:
        return _with_details(filter_orders(self.scoped(), self.request))

    @extend_schema(
        operation_id="orders_list", parameters=ORDER_PARAMETERS, responses={200: OrderSerializer(many=True), **ERRORS}
    )
    def get(self, request, *args, **kwargs) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class OrderDetail(_OrderScope, PosApiView):
    serializer_class = OrderSerializer

    @extend_schema(operation_id="orders_read", responses={200: OrderSerializer, **ERRORS})
    def get(self, request, pk: int) -> Response:
        return Response(self.get_serializer(self.get_order(pk)).data)


class OrderStatusView(_OrderScope, PosApiView):
    serializer_class = OrderStatusChangeSerializer
    output_class = OrderSerializer

    @extend_schema(
        operation_id="orders_set_status",
        request=OrderStatusChangeSerializer,
        responses={200: OrderSerializer, **ERRORS_WRITE},
        description="Accept (with a preparation time), reject (with a reason), preparing, ready, picked up, "
        "delivered or cancel. The order moves here at once; its channel hears about it through the outbox.",
    )
    def post(self, request, pk: int) -> Response:
        order = self.get_order(pk)
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        # Refuse an impossible move before anything is written (the service would record it as not applied).
        decision = decide(order.service_type, order.status, data["status"])
        if not decision.applied:
            raise Conflict(decision.reason, code="invalid_transition")
        try:
            change = change_order_status(
                order, data["status"], reason=data.get("reason", ""), prep_minutes=data.get("prep_minutes"),
                reason_code=data.get("reason_code"), unavailable_items=data.get("unavailable_items") or (),
            )
        except ValueError as exc:  # the channel needs something the request lacks (e.g. a reason)
            raise Conflict(str(exc), code="channel_requirement") from None
        if not change.applied:  # lost a race with another change
            raise Conflict(change.reason, code="invalid_transition")
        return Response(self.output_class(self.get_order(pk)).data)


class DriverLocationView(_OrderScope, PosApiView):
    serializer_class = DriverLocationSerializer

    @extend_schema(
        operation_id="orders_driver_location",
        request=DriverLocationSerializer,
        responses={202: DriverLocationSerializer, **ERRORS_WRITE},
        description="Where the restaurant's courier is now; passed on to channels that show it to the customer.",
    )
    def post(self, request, pk: int) -> Response:
        order = self.get_order(pk)
        if order.service_type != ServiceType.DELIVERY:
            raise Conflict(gettext("only delivery orders have a courier"), code="not_a_delivery")
        if order.is_final:
            raise Conflict(
                gettext("the order is %(status)s: its courier is done") % {"status": order.status}, code="order_final"
            )
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        location = report_driver_location(
            order, data["lat"], data["lng"], data.get("recorded_at") or timezone.now()
        )
        return Response(DriverLocationSerializer(location).data, status=status.HTTP_202_ACCEPTED)


class ReservationList(OrderList):
    reservations = True
    serializer_class = ReservationSerializer

    def get_queryset(self) -> QuerySet[Order]:
        return _with_details(filter_orders(self.scoped(), self.request, ReservationFilterSerializer))

    @extend_schema(
        operation_id="reservations_list",
        parameters=RESERVATION_PARAMETERS,
        responses={200: ReservationSerializer(many=True), **ERRORS},
    )
    def get(self, request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


class ReservationDetail(OrderDetail):
    reservations = True
    serializer_class = ReservationSerializer

    @extend_schema(operation_id="reservations_read", responses={200: ReservationSerializer, **ERRORS})
    def get(self, request, pk: int) -> Response:
        return super().get(request, pk)


class ReservationStatusView(OrderStatusView):
    reservations = True
    serializer_class = ReservationStatusChangeSerializer
    output_class = ReservationSerializer

    @extend_schema(
        operation_id="reservations_set_status",
        request=ReservationStatusChangeSerializer,
        responses={200: ReservationSerializer, **ERRORS_WRITE},
        description="Confirm, seat, complete, no-show, cancel or reject (with a reason) a reservation.",
    )
    def post(self, request, pk: int) -> Response:
        return super().post(request, pk)
