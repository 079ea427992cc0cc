"""Restaurants a key may use, and the health of each one's channel connections."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from integrations.models import Connection, SyncJob
from integrations.pages.health import HEALTH_STATES, connection_health
from restaurants.models import Restaurant
from restaurants.opening import opening_state

from .availability import OpeningNow


class RestaurantSerializer(serializers.ModelSerializer):
    now = serializers.SerializerMethodField()

    class Meta:
        model = Restaurant
        fields = ["id", "slug", "name", "timezone", "currency", "address", "phone", "now"]

    @extend_schema_field(OpeningNow)
    def get_now(self, restaurant: Restaurant) -> dict:
        return opening_state(restaurant, timezone.now()).__dict__


class ConnectionHealthSerializer(serializers.ModelSerializer):
    channel_id = serializers.IntegerField()
    channel = serializers.CharField(source="channel.name")
    module = serializers.CharField(source="channel.module")
    health = serializers.SerializerMethodField()
    reachable = serializers.SerializerMethodField()
    summary = serializers.SerializerMethodField()
    pending_jobs = serializers.SerializerMethodField()
    failed_jobs = serializers.SerializerMethodField()

    class Meta:
        model = Connection
        fields = [
            "id", "channel_id", "channel", "module", "environment", "store_id", "enabled", "health", "reachable",
            "summary", "circuit_open_until", "consecutive_failures", "last_error", "last_webhook_at",
            "last_call_ok_at", "last_call_failed_at", "pending_jobs", "failed_jobs",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=HEALTH_STATES))
    def get_health(self, connection: Connection) -> str:
        return connection_health(connection).state

    def get_reachable(self, connection: Connection) -> bool:
        return connection_health(connection).reachable

    def get_summary(self, connection: Connection) -> str:
        return connection_health(connection).summary

    def get_pending_jobs(self, connection: Connection) -> int:
        return connection.sync_jobs.filter(state__in=[SyncJob.State.PENDING, SyncJob.State.RUNNING]).count()

    def get_failed_jobs(self, connection: Connection) -> int:
        return connection.sync_jobs.filter(state=SyncJob.State.FAILED).count()
