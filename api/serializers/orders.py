"""Orders and reservations as the POS reads them: lines nested with their options."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from canonical import CancelledBy, CourierStage, Handover, PaymentMethod, RefusalReason
from canonical.money import smallest_unit
from orders.models import Delivery, Order, OrderLine, OrderStatus
from restaurants.models import ServiceType

AMOUNT = {"max_digits": 12, "decimal_places": 3}


class RemovedIngredientSerializer(serializers.Serializer):
    name = serializers.CharField()
    sku = serializers.CharField(default="")
    quantity = serializers.IntegerField(allow_null=True, default=None)


class FeeSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The channel's name for the fee")
    amount = serializers.DecimalField(**AMOUNT)


LINE_FIELDS = [
    "id", "sku", "name", "quantity", "unit_price", "vat_rate", "notes", "allergy_notes", "removed", "group",
    "channel_line_id", "for_person",
]


class OptionLineSerializer(serializers.ModelSerializer):
    removed = RemovedIngredientSerializer(many=True, read_only=True, help_text="Ingredients left out")
    vat_rate = serializers.DecimalField(
        max_digits=5, decimal_places=2, allow_null=True, read_only=True, help_text="Percent; null: not said"
    )

    class Meta:
        model = OrderLine
        fields = LINE_FIELDS


class OrderLineSerializer(OptionLineSerializer):
    options = OptionLineSerializer(many=True, read_only=True)

    class Meta:
        model = OrderLine
        fields = [*LINE_FIELDS, "options"]


class OrderChannelSerializer(serializers.Serializer):
    """Where the order came from; null for orders created by us."""

    connection_id = serializers.IntegerField(source="id")
    channel_id = serializers.IntegerField()
    channel = serializers.CharField(source="channel.name")
    module = serializers.CharField(source="channel.module")
    environment = serializers.CharField()


class InvoicingSerializer(serializers.Serializer):
    company_name = serializers.CharField(source="invoice_company_name")
    tax_id = serializers.CharField(source="invoice_tax_id", help_text="VAT number, NIF / CIF")
    address = serializers.CharField(source="invoice_address")


class CustomerSerializer(serializers.Serializer):
    name = serializers.CharField(source="customer_name")
    phone = serializers.CharField(source="customer_phone")
    phone_code = serializers.CharField(
        source="customer_phone_code", help_text="The code to give after dialling the channel's masked number"
    )
    email = serializers.CharField(source="customer_email")
    channel_customer_id = serializers.CharField(
        source="customer_channel_id", help_text="The channel's id of the customer, the same on each of their orders"
    )
    invoicing = serializers.SerializerMethodField(help_text="The company to invoice; null: no invoice asked for")

    @extend_schema_field(InvoicingSerializer(allow_null=True))
    def get_invoicing(self, order: Order) -> dict | None:
        if not (order.invoice_company_name or order.invoice_tax_id or order.invoice_address):
            return None
        return InvoicingSerializer(order).data


class AddressSerializer(serializers.Serializer):
    street = serializers.CharField(source="address_street")
    unit = serializers.CharField(source="address_unit", help_text="Flat, floor, door")
    city = serializers.CharField(source="address_city")
    postcode = serializers.CharField(source="address_postcode")
    lat = serializers.DecimalField(source="address_lat", max_digits=9, decimal_places=6, allow_null=True)
    lng = serializers.DecimalField(source="address_lng", max_digits=9, decimal_places=6, allow_null=True)
    instructions = serializers.CharField(source="address_instructions")
    business_name = serializers.CharField(source="address_business_name", help_text="The building or business")
    handover = serializers.ChoiceField(
        choices=Handover.choices, allow_blank=True, help_text="How the customer wants it handed over; '': not said"
    )


class EstimatesSerializer(serializers.Serializer):
    """The channel's expected times, each its own; null: the channel gave none."""

    ready_at = serializers.DateTimeField(source="estimated_ready_at", allow_null=True)
    pickup_at = serializers.DateTimeField(source="estimated_pickup_at", allow_null=True)
    dropoff_at = serializers.DateTimeField(source="estimated_dropoff_at", allow_null=True)


class CancellationSerializer(serializers.Serializer):
    by = serializers.ChoiceField(source="cancelled_by", choices=CancelledBy.choices)
    reason_code = serializers.CharField(source="cancel_reason_code")
    reason = serializers.CharField(source="cancel_reason")
    cancelled_at = serializers.DateTimeField(allow_null=True)
    products_paid = serializers.BooleanField(
        source="cancel_products_paid", allow_null=True, help_text="The channel still pays for the products"
    )
    payment_strategy = serializers.CharField(source="cancel_payment_strategy")


class PaymentSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=PaymentMethod.choices)
    amount = serializers.DecimalField(**AMOUNT)
    prepaid = serializers.BooleanField(allow_null=True, help_text="null: the channel does not say")
    channel_method = serializers.CharField()
    cash_to_collect = serializers.DecimalField(**AMOUNT, allow_null=True)
    cash_tendered = serializers.DecimalField(**AMOUNT, allow_null=True)


class CourierSerializer(serializers.Serializer):
    """The order's courier as the channel last told (its latest delivery)."""

    stage = serializers.ChoiceField(choices=CourierStage.choices, allow_blank=True)
    channel_stage = serializers.CharField(source="courier_status")
    name = serializers.CharField(source="driver_name")
    phone = serializers.CharField(source="driver_phone")
    phone_code = serializers.CharField()
    vehicle = serializers.CharField()
    picture_url = serializers.CharField()
    by_restaurant = serializers.BooleanField()
    lat = serializers.DecimalField(source="position_lat", max_digits=9, decimal_places=6, allow_null=True)
    lng = serializers.DecimalField(source="position_lng", max_digits=9, decimal_places=6, allow_null=True)
    position_at = serializers.DateTimeField(allow_null=True)
    pickup_eta = serializers.DateTimeField(allow_null=True)
    dropoff_eta = serializers.DateTimeField(allow_null=True)
    tracking_url = serializers.CharField()


def _in_currency(value: Any, unit: Decimal) -> Any:
    """A decimal string with the currency's own places: "12.50" for EUR, "1250" for JPY, "1.125" for KWD."""
    return value if value is None else str(Decimal(value).quantize(unit))


def _amounts_in_currency(data: dict, currency: str) -> dict:
    unit = smallest_unit(currency)
    for key in ORDER_AMOUNTS:
        if key in data:
            data[key] = _in_currency(data[key], unit)
    for fee in [*(data.get("extra_fees") or ()), *(data.get("outside_total") or ())]:
        fee["amount"] = _in_currency(fee["amount"], unit)
    for payment in data.get("payments") or ():
        for key in ("amount", "cash_to_collect", "cash_tendered"):
            payment[key] = _in_currency(payment[key], unit)

    def lines(rows: list) -> None:
        for row in rows:
            row["unit_price"] = _in_currency(row["unit_price"], unit)
            lines(row.get("options") or [])

    lines(data.get("lines") or [])
    return data


ORDER_AMOUNTS = (
    "subtotal_amount", "vat_amount", "total_amount", "delivery_fee", "service_fee", "bag_fee",
    "small_order_surcharge", "tip_amount", "discount_amount",
)


class StatusSyncSerializer(serializers.Serializer):
    """Whether our last status reached the channel (the latest order-status sync job)."""

    state = serializers.CharField()
    status = serializers.CharField(source="payload.update.status", default="")  # the job holds {"order", "update"}
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
    """An order with everything its channel said; amounts in the currency's own places, unknown as null."""

    delivery_address = AddressSerializer(source="*", read_only=True)
    estimates = EstimatesSerializer(source="*", read_only=True)
    vat_amount = serializers.DecimalField(
        **AMOUNT, allow_null=True, read_only=True, help_text="null: the channel did not say (unknown, not zero)"
    )
    extra_fees = FeeSerializer(many=True, read_only=True, help_text="Other fees the channel names")
    outside_total = FeeSerializer(
        many=True, read_only=True,
        help_text="Money the channel names that its total leaves out (e.g. the channel's own fee on the order)",
    )
    cancellation = serializers.SerializerMethodField()
    payments = PaymentSerializer(many=True, read_only=True)
    courier = serializers.SerializerMethodField()
    lines = OrderLineSerializer(source="product_lines", many=True, read_only=True)
    bundled_with = serializers.ListField(
        child=serializers.CharField(), read_only=True,
        help_text="Channel order ids of the other orders one courier collects and delivers with this one",
    )

    class Meta:
        model = Order
        fields = [
            "id", "restaurant_id", "channel", "channel_order_id", "display_code", "ordered_via", "table",
            "service_type", "status",
            "channel_status", "channel_status_name", "placed_at", "scheduled_for", "scheduled_earliest",
            "scheduled_latest", "confirm_by", "estimates", "customer", "delivery_address", "notes", "allergy_notes",
            "pickup_code", "courier_code", "cutlery_requested", "disposables_requested", "loyalty_code",
            "bundled_with", "currency",
            "subtotal_amount", "vat_amount", "prices_include_vat", "total_amount", "delivery_fee", "service_fee",
            "bag_fee", "small_order_surcharge", "extra_fees", "tip_amount", "tip_in_total",
            "discount_amount", "outside_total", "payments",
            "cancellation", "courier", "needs_attention", "attention_reason", "created_at", "updated_at",
            "status_sync", "lines",
        ]

    @extend_schema_field(CancellationSerializer(allow_null=True))
    def get_cancellation(self, order: Order) -> dict | None:
        if not (order.cancelled_by or order.cancel_reason_code or order.cancel_reason):
            return None
        return CancellationSerializer(order).data

    @extend_schema_field(CourierSerializer(allow_null=True))
    def get_courier(self, order: Order) -> dict | None:
        deliveries: list[Delivery] = list(order.deliveries.all())  # prefetched by the views
        return CourierSerializer(deliveries[-1]).data if deliveries else None

    def to_representation(self, instance: Order) -> dict:
        return _amounts_in_currency(super().to_representation(instance), instance.currency)


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
    OrderStatus.CONFIRMED, OrderStatus.ARRIVED, OrderStatus.SEATED, OrderStatus.COMPLETED, OrderStatus.NO_SHOW,
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
            message = _("A reason is required to move to %(status)s.") % {"status": attrs["status"]}
            raise serializers.ValidationError({"reason": [message]})
        return attrs


class OrderStatusChangeSerializer(_StatusChangeBase):
    status = serializers.ChoiceField(choices=ORDER_TARGET_CHOICES)
    prep_minutes = serializers.IntegerField(required=False, min_value=1, max_value=1440, allow_null=True)
    reason_code = serializers.ChoiceField(
        choices=RefusalReason.choices, required=False, allow_null=True,
        help_text="Why, for a rejection or cancellation; each channel gets its own code for it",
    )
    unavailable_items = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, max_length=200, default=list,
        help_text="SKUs of the items out of stock, when that is why the order is rejected or cancelled",
    )

    def validate(self, attrs: dict) -> dict:
        attrs = super().validate(attrs)
        if attrs.get("prep_minutes") is not None and attrs["status"] != OrderStatus.ACCEPTED:
            raise serializers.ValidationError({"prep_minutes": [_("Only an acceptance carries a preparation time.")]})
        refusal = (attrs.get("reason_code") is not None) or attrs.get("unavailable_items")
        if refusal and attrs["status"] not in NEEDS_REASON:
            raise serializers.ValidationError(
                {"reason_code": [_("Only a rejection or a cancellation carries a reason code or unavailable items.")]}
            )
        return attrs


class ReservationStatusChangeSerializer(_StatusChangeBase):
    status = serializers.ChoiceField(choices=RESERVATION_TARGET_CHOICES)


class DriverLocationSerializer(serializers.Serializer):
    lat = serializers.DecimalField(max_digits=9, decimal_places=6, min_value=-90, max_value=90)
    lng = serializers.DecimalField(max_digits=9, decimal_places=6, min_value=-180, max_value=180)
    recorded_at = serializers.DateTimeField(required=False, help_text="When the position was taken; default now")


ORDER_SERVICE_TYPES = [(value, label) for value, label in ServiceType.choices if value != ServiceType.RESERVATION]
