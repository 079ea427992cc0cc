"""End to end: the Sandbox Market as its own process sends real signed webhooks to our live server,
and a real Celery worker processes them."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from integrations.inbound.reconciliation import reconcile_open_orders
from integrations.models import ChannelCall, WebhookEvent
from orders.models import Order, OrderStatus
from tests.factories.integrations import SANDBOX_API_KEY, SANDBOX_WEBHOOK_SECRET, ChannelFactory, ConnectionFactory

STORE = "casa-lucia"
BASKET = [
    {"plu": "PIZ-MARG", "title": "Margherita", "qty": 2, "unit_cents": 1150, "vat_pct": 10,
     "extras": [{"plu": "OPT-CHEESE", "title": "Extra cheese", "qty": 1, "unit_cents": 150, "vat_pct": 10},
                {"plu": "OPT-OLIVES", "title": "Olives", "qty": 2, "unit_cents": 75, "vat_pct": 10}]},
    {"plu": "BEB-CANA", "title": "Caña", "qty": 3, "unit_cents": 250, "vat_pct": 21},
]


def connect(market, live_server, *, thin: bool = False):
    connection = ConnectionFactory(channel=ChannelFactory(sandbox_base_url=market.url), store_id=STORE)
    market.register_store(
        store_ref=STORE,
        api_key=SANDBOX_API_KEY,
        webhook_secret=SANDBOX_WEBHOOK_SECRET,
        webhook_url=f"{live_server.url}/webhooks/{connection.webhook_token}/",
        currency="EUR",
        thin_webhooks=thin,
    )
    return connection


def arrived(market, connection, ticket_id: str, **fields) -> Order:
    """Poll our database until the order is there (and matches ``fields``)."""

    def look():
        return Order.objects.filter(connection=connection, channel_order_id=ticket_id, **fields).first()

    return market.wait_for(look, timeout=20)


def cents(value: int) -> Decimal:
    return Decimal(value) / 100


def test_an_order_arrives_with_every_line_option_and_amount_then_its_status_follows(
    market, live_server, celery_worker
):
    connection = connect(market, live_server)

    ticket = market.create_ticket(STORE, kind="HOME_DELIVERY", basket=BASKET, tip_cents=100, discount_cents=50)
    order = arrived(market, connection, ticket["ticket_id"])

    lines = list(order.lines.order_by("position").values_list("parent__sku", "sku", "quantity", "unit_price",
                                                              "vat_rate"))
    assert lines == [
        (None, "PIZ-MARG", 2, Decimal("11.50"), Decimal("10.00")),
        ("PIZ-MARG", "OPT-CHEESE", 2, Decimal("1.50"), Decimal("10.00")),
        ("PIZ-MARG", "OPT-OLIVES", 4, Decimal("0.75"), Decimal("10.00")),
        (None, "BEB-CANA", 3, Decimal("2.50"), Decimal("21.00")),
    ]
    totals = ticket["totals"]
    assert order.total_amount == cents(totals["grand_total_cents"])
    assert order.vat_amount == cents(totals["vat_cents"])
    assert order.subtotal_amount == cents(totals["goods_cents"] - totals["vat_cents"])
    assert (order.delivery_fee, order.tip_amount, order.discount_amount) == (
        cents(totals["delivery_fee_cents"]), Decimal("1.00"), Decimal("0.50"))
    assert sum(line.line_total for line in order.lines.all()) == cents(totals["goods_cents"])
    assert order.payments.get().amount == order.total_amount
    assert order.correlation_id == WebhookEvent.objects.get(order=order).correlation_id

    market.change_state(ticket["ticket_id"], "VOIDED", reason="customer called")
    cancelled = arrived(market, connection, ticket["ticket_id"], status=OrderStatus.CANCELLED)

    change = cancelled.status_changes.last()
    assert (change.to_status, change.channel_status, change.applied, change.source) == (
        "cancelled", "VOIDED", True, "channel")
    assert WebhookEvent.objects.filter(connection=connection, state="processed").count() == 2
    connection.refresh_from_db()
    assert connection.last_webhook_at is not None


def test_a_thin_webhook_makes_exactly_one_get_and_a_reservation_arrives_too(market, live_server, celery_worker):
    connection = connect(market, live_server, thin=True)

    ticket = market.create_ticket(STORE, kind="TAKEAWAY", basket=BASKET)
    booking = market.create_booking(STORE, covers=5)
    order = arrived(market, connection, ticket["ticket_id"])
    reservation = arrived(market, connection, booking["ticket_id"])

    assert order.lines.count() == 4 and order.service_type == "collection"
    assert (reservation.service_type, reservation.diners, reservation.status) == ("reservation", 5, "requested")
    calls = ChannelCall.objects.filter(connection=connection, operation="get_order")
    assert calls.count() == 2  # one per thin webhook
    assert calls.get(url__endswith=ticket["ticket_id"]).correlation_id == order.correlation_id


def test_a_duplicated_webhook_is_one_event_and_one_order(market, live_server, celery_worker):
    connection = connect(market, live_server)
    market.add_fault(store_ref=STORE, kind="webhook_duplicate", count=1)

    ticket = market.create_ticket(STORE, basket=BASKET)
    arrived(market, connection, ticket["ticket_id"])
    market.wait_for(lambda: sum(d["status"] == "delivered" for d in market.webhooks(STORE)) == 2, timeout=10)

    assert WebhookEvent.objects.filter(connection=connection).count() == 1
    assert Order.objects.filter(connection=connection).count() == 1


def test_a_dropped_status_webhook_is_healed_by_reconciliation(market, live_server, celery_worker):
    connection = connect(market, live_server)
    ticket = market.create_ticket(STORE, basket=BASKET)
    order = arrived(market, connection, ticket["ticket_id"])
    market.add_fault(store_ref=STORE, kind="webhook_drop", count=1)

    market.change_state(ticket["ticket_id"], "CONFIRMED")
    market.wait_for(lambda: any(d["status"] == "dropped" for d in market.webhooks(STORE)), timeout=5)
    order.refresh_from_db()
    assert order.status == OrderStatus.RECEIVED  # the webhook never came

    report = reconcile_open_orders(older_than=timedelta(0))

    order.refresh_from_db()
    assert report.moved == [order.pk]
    assert (order.status, order.channel_status) == (OrderStatus.ACCEPTED, "CONFIRMED")
    assert order.status_changes.last().source == "reconciliation"
