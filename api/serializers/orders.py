"""Orders and reservations as the POS reads them: lines nested with their options."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from orders.models import Order, OrderLine, OrderStatus
from restaurants.models import ServiceType


class OptionLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrderLine
        fields = ["id", "sku", "name", "quantity", "unit_price", "vat_rate", "notes"]


class OrderLineSerializer(serializers.ModelSerializer):
    options = OptionLineSerializer(many=True, read_only=True)

    class Meta:
        model = OrderLine
        fields = ["id", "sku", "name", "quantity", "unit_price", "vat_rate", "notes", "options"]


class OrderChannelSerializer(serializers.Serializer):
    """Where the order came from; null for orders created by us."""

    connection_id = serializers.IntegerField(source="id")
    channel_id = serializers.IntegerField()
    channel = serializers.CharField(source="channel.name")
    module = serializers.CharField(source="channel.module")
    environment = serializers.CharField()


class CustomerSerializer(serializers.Serializer):
    name = serializers.CharField(source="customer_name")
    phone = serializers.CharField(source="customer_phone")
    email = serializers.CharField(source="customer_email")


class AddressSerializer(serializers.Serializer):
    street = serializers.CharField(source="address_street")
    city = serializers.CharField(source="address_city")
    postcode = serializers.CharField(source="address_postcode")
    lat = serializers.DecimalField(source="address_lat", max_digits=9, decimal_places=6, allow_null=True)
    lng = serializers.DecimalField(source="address_lng", max_digits=9, decimal_places=6, allow_null=True)
    instructions = serializers.CharField(source="address_instructions")


class StatusSyncSerializer(serializers.Serializer):
    """Whether our last status reached the channel (the latest order-status sync job)."""

    state = serializers.CharField()
    status = serializers.CharField(source="payload.status", default="")
    last_error = serializers.CharField()
    updated_at = serializers.DateTimeField()


class _OrderBase(serializers.ModelSerializer):
    channel = OrderChannelSerializer(source="connection", read_only=True, allow_null=True)
    customer = CustomerSerializer(source="*", read_only=True)
    status_sync = serializers.SerializerMethodField()

    @extend_schema_field(StatusSyncSerializer(allow_null=True))
    def get_status_sync(self, order: Order) -> dict | None:
        jobs = getattr(order, "status_jobs", None)
        job = jobs[0] if jobs else None
        return StatusSyncSerializer(job).data if job is not None else None


class OrderSerializer(_OrderBase):
    delivery_address = AddressSerializer(source="*", read_only=True)
    lines = OrderLineSerializer(source="product_lines", many=True, read_only=True)

    class Meta:
        model = Order
        fields = [
            "id", "restaurant_id", "channel", "channel_order_id", "display_code", "service_type", "status",
            "channel_status", "channel_status_name", "placed_at", "scheduled_for", "customer", "delivery_address",
            "notes", "currency", "subtotal_amount", "vat_amount", "total_amount", "delivery_fee", "tip_amount",
            "discount_amount", "needs_attention", "attention_reason", "created_at", "updated_at", "status_sync",
            "lines",
        ]


class ReservationSerializer(_OrderBase):
    class Meta:
        model = Order
        fields = [
            "id", "restaurant_id", "channel", "channel_order_id", "display_code", "status", "channel_status",
            "channel_status_name", "placed_at", "reservation_at", "diners", "customer", "notes", "needs_attention",
            "attention_reason", "created_at", "updated_at", "status_sync",
        ]


ORDER_TARGETS = [
    OrderStatus.ACCEPTED, OrderStatus.REJECTED, OrderStatus.PREPARING, OrderStatus.READY,
    OrderStatus.PICKED_UP, OrderStatus.DELIVERED, OrderStatus.CANCELLED,
]
RESERVATION_TARGETS = [
    OrderStatus.CONFIRMED, OrderStatus.SEATED, OrderStatus.COMPLETED, OrderStatus.NO_SHOW,
    OrderStatus.CANCELLED, OrderStatus.REJECTED,
]
ORDER_TARGET_CHOICES = [(s.value, s.label) for s in ORDER_TARGETS]
RESERVATION_TARGET_CHOICES = [(s.value, s.label) for s in RESERVATION_TARGETS]
NEEDS_REASON = {OrderStatus.REJECTED, OrderStatus.CANCELLED}


class _StatusChangeBase(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")

    def validate(self, attrs: dict) -> dict:
        # Channels refuse a rejection or cancellation without a reason; say so before we promise it.
        if attrs["status"] in NEEDS_REASON and not attrs.get("reason", "").strip():
            raise serializers.ValidationError({"reason": [f"A reason is required to move to {attrs['status']}."]})
        return attrs


class OrderStatusChangeSerializer(_StatusChangeBase):
    status = serializers.ChoiceField(choices=ORDER_TARGET_CHOICES)
    prep_minutes = serializers.IntegerField(required=False, min_value=1, max_value=1440, allow_null=True)

    def validate(self, attrs: dict) -> dict:
        attrs = super().validate(attrs)
        if attrs.get("prep_minutes") is not None and attrs["status"] != OrderStatus.ACCEPTED:
            raise serializers.ValidationError({"prep_minutes": ["Only an acceptance carries a preparation time."]})
        return attrs


class ReservationStatusChangeSerializer(_StatusChangeBase):
    status = serializers.ChoiceField(choices=RESERVATION_TARGET_CHOICES)


class DriverLocationSerializer(serializers.Serializer):
    lat = serializers.DecimalField(max_digits=9, decimal_places=6, min_value=-90, max_value=90)
    lng = serializers.DecimalField(max_digits=9, decimal_places=6, min_value=-180, max_value=180)
    recorded_at = serializers.DateTimeField(required=False, help_text="When the position was taken; default now")


ORDER_SERVICE_TYPES = [(value, label) for value, label in ServiceType.choices if value != ServiceType.RESERVATION]
