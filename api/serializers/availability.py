"""Opening hours, calendar exceptions and pauses, as the POS sends and reads them."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers

from restaurants.models import CalendarException, Pause, ScheduleRange, ServiceType, Weekday

OPENING_STATES = ["open", "closed", "paused"]
SERVICE_TYPE = {"choices": ServiceType.choices, "required": False, "allow_null": True, "default": None}


class WeeklyRangeSerializer(serializers.ModelSerializer):
    start_day = serializers.ChoiceField(choices=Weekday.choices, help_text="0 = Monday … 6 = Sunday")
    end_day = serializers.ChoiceField(choices=Weekday.choices, help_text="Inclusive; may wrap (4→0 is Fri–Mon)")
    service_type = serializers.ChoiceField(**SERVICE_TYPE, help_text="Empty: every service")

    class Meta:
        model = ScheduleRange
        fields = ["start_day", "end_day", "start_time", "end_time", "service_type"]
        extra_kwargs = {"end_time": {"help_text": "At or before start_time: the shift ends the next day"}}


class WeeklyHoursIn(serializers.Serializer):
    ranges = WeeklyRangeSerializer(many=True, allow_empty=True)


class CalendarExceptionSerializer(serializers.ModelSerializer):
    service_type = serializers.ChoiceField(**SERVICE_TYPE)
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    class Meta:
        model = CalendarException
        fields = ["id", "starts_at", "expires_at", "kind", "reason", "service_type"]
        read_only_fields = ["id"]

    def validate(self, attrs: dict) -> dict:
        if attrs["expires_at"] <= attrs["starts_at"]:
            raise serializers.ValidationError({"expires_at": [_("Must be after starts_at.")]})
        if attrs["expires_at"] <= timezone.now():
            raise serializers.ValidationError({"expires_at": [_("The exception would already be over.")]})
        return attrs


class PauseIn(serializers.Serializer):
    until = serializers.DateTimeField(required=False, allow_null=True, default=None, help_text="Empty: until resumed")
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    service_type = serializers.ChoiceField(**SERVICE_TYPE, help_text="Empty: every service")

    def validate_until(self, value):
        if value is not None and value <= timezone.now():
            raise serializers.ValidationError(_("Must be in the future."))
        return value


class ResumeIn(serializers.Serializer):
    service_type = serializers.ChoiceField(**SERVICE_TYPE, help_text="Empty: resume everything")


class PauseOut(serializers.ModelSerializer):
    class Meta:
        model = Pause
        fields = ["id", "service_type", "until", "reason", "created_at", "resumed_at"]


class ResumedOut(serializers.Serializer):
    resumed = serializers.IntegerField(help_text="How many pauses ended")


class OpeningNow(serializers.Serializer):
    is_open = serializers.BooleanField()
    status = serializers.ChoiceField(choices=OPENING_STATES)
    reason = serializers.CharField()


class AvailabilityOut(serializers.Serializer):
    now = OpeningNow()
    weekly = WeeklyRangeSerializer(many=True)
    exceptions = CalendarExceptionSerializer(many=True)
    pauses = PauseOut(many=True)
