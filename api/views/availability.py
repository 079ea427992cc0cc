"""Availability from the POS: weekly hours, calendar exceptions, pause and resume, carried to every channel."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from integrations.outbound.services import pause_restaurant, resume_restaurant
from integrations.outbound.services.availability import PausesOnlyWhole
from restaurants.models import Pause
from restaurants.opening import opening_state

from .. import scoping
from ..errors import Conflict
from ..serializers.availability import (
    AvailabilityOut,
    CalendarExceptionSerializer,
    PauseIn,
    PauseOut,
    ResumedOut,
    ResumeIn,
    WeeklyHoursIn,
)
from ..services.availability import add_exception, remove_exception, replace_weekly_hours
from .base import PosApiView
from .errors_schema import ERRORS, ERRORS_WRITE


def _availability(restaurant) -> dict:
    now = timezone.now()
    return {
        "now": opening_state(restaurant, now).__dict__,
        "weekly": restaurant.schedule_ranges.order_by("start_day", "start_time", "id"),
        "exceptions": restaurant.calendar_exceptions.filter(expires_at__gt=now).order_by("starts_at"),
        "pauses": Pause.objects.filter(restaurant=restaurant).active(now),
    }


class AvailabilityView(PosApiView):
    serializer_class = AvailabilityOut

    @extend_schema(operation_id="availability_read", responses={200: AvailabilityOut, **ERRORS})
    def get(self, request, pk: int) -> Response:
        restaurant = scoping.restaurant_or_404(request, pk)
        return Response(AvailabilityOut(_availability(restaurant)).data)


class WeeklyHoursView(PosApiView):
    serializer_class = WeeklyHoursIn

    @extend_schema(
        operation_id="availability_weekly_hours_replace",
        request=WeeklyHoursIn,
        responses={200: AvailabilityOut, **ERRORS_WRITE},
        description="Replace the whole weekly schedule; every channel gets the new hours.",
    )
    def put(self, request, pk: int) -> Response:
        restaurant = scoping.restaurant_or_404(request, pk)
        body = WeeklyHoursIn(data=request.data)
        body.is_valid(raise_exception=True)
        replace_weekly_hours(restaurant, body.validated_data["ranges"])
        return Response(AvailabilityOut(_availability(restaurant)).data)


class ExceptionListView(PosApiView):
    serializer_class = CalendarExceptionSerializer

    @extend_schema(
        operation_id="availability_exception_add",
        responses={201: CalendarExceptionSerializer, **ERRORS_WRITE},
        description="Closed (holiday) or special hours for a window; every channel gets the new document.",
    )
    def post(self, request, pk: int) -> Response:
        restaurant = scoping.restaurant_or_404(request, pk)
        body = CalendarExceptionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        exception = add_exception(restaurant, dict(body.validated_data))
        return Response(CalendarExceptionSerializer(exception).data, status=status.HTTP_201_CREATED)


class ExceptionDetailView(PosApiView):
    serializer_class = CalendarExceptionSerializer

    @extend_schema(operation_id="availability_exception_remove", responses={204: None, **ERRORS})
    def delete(self, request, pk: int, exception_id: int) -> Response:
        restaurant = scoping.restaurant_or_404(request, pk)
        remove_exception(get_object_or_404(restaurant.calendar_exceptions, pk=exception_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class PauseView(PosApiView):
    serializer_class = PauseIn

    @extend_schema(
        operation_id="availability_pause",
        request=PauseIn,
        responses={201: PauseOut, **ERRORS_WRITE},
        description="Stop taking orders (all services or one) until `until` or until resumed, on every channel.",
    )
    def post(self, request, pk: int) -> Response:
        restaurant = scoping.restaurant_or_404(request, pk)
        body = PauseIn(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            pause = pause_restaurant(restaurant, data["until"], data["reason"], service_type=data["service_type"])
        except PausesOnlyWhole as exc:  # a one-service pause a channel cannot make: say so, offer the whole pause
            raise Conflict(str(exc), code="channel_pauses_whole_restaurant_only") from None
        except ValueError as exc:  # e.g. a channel needs an end time
            raise Conflict(str(exc), code="channel_requirement") from None
        return Response(PauseOut(pause).data, status=status.HTTP_201_CREATED)


class ResumeView(PosApiView):
    serializer_class = ResumeIn

    @extend_schema(
        operation_id="availability_resume",
        request=ResumeIn,
        responses={200: ResumedOut, **ERRORS_WRITE},
        description="End the active pauses (all, or one service's) here and on every channel.",
    )
    def post(self, request, pk: int) -> Response:
        restaurant = scoping.restaurant_or_404(request, pk)
        body = ResumeIn(data=request.data)
        body.is_valid(raise_exception=True)
        resumed = resume_restaurant(restaurant, service_type=body.validated_data["service_type"])
        return Response({"resumed": resumed})
