"""The order page is a ticket: facts to read, no field that changes what a channel mirrors, times on its clock."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import escape

from orders.models import OrderStatus
from tests.factories.integrations import ConnectionFactory
from tests.factories.orders import DeliveryFactory, OptionLineFactory, OrderFactory, OrderLineFactory, PaymentFactory

from .conftest import control_names, ticket_url

pytestmark = pytest.mark.django_db

# 12:05 UTC on a winter day is 13:05 in Madrid (CET, UTC+1).
PLACED = dt.datetime(2026, 12, 1, 12, 5, tzinfo=dt.UTC)
MONEY_FIELDS = {
    "total_amount", "subtotal_amount", "vat_amount", "delivery_fee", "tip_amount", "discount_amount", "service_fee",
    "bag_fee", "currency", "unit_price", "amount",
}
LIST_CELL = '2026-12-01 13:05</span><br><small>Europe/Madrid</small>'
BUTTON_FIELDS = {"csrfmiddlewaretoken", "move", "reason", "reason_code", "unavailable_items", "prep_minutes"}


@pytest.fixture
def order():
    connection = ConnectionFactory(
        restaurant__name="Casa Lucía, la taberna del barrio de Chamberí", restaurant__timezone="Europe/Madrid"
    )
    order = OrderFactory(
        restaurant=connection.restaurant, connection=connection, display_code="A042", placed_at=PLACED,
        customer_name="Lola Flores", customer_phone="+34 600 000 000", address_street="Calle Mayor 1",
        address_city="Madrid", address_postcode="28013", pickup_code="433", notes="ring twice",
        delivery_fee=Decimal("2.50"), total_amount=Decimal("27.50"),
    )
    burger = OrderLineFactory(order=order, name="Burger", unit_price=Decimal("12.50"), quantity=2,
                              removed=[{"name": "pickles"}], notes="well done")
    OptionLineFactory(parent=burger, name="Extra cheese", group="Extras", unit_price=Decimal("1.00"))
    OrderLineFactory(order=order, name="Lemonade", unit_price=Decimal("1.50"), quantity=1)
    PaymentFactory(order=order, amount=Decimal("27.50"), prepaid=True)
    DeliveryFactory(order=order, driver_name="Ana", by_restaurant=False)
    return order


def test_the_ticket_shows_the_lines_as_a_tree_and_the_facts(admin_client, order):
    response = admin_client.get(ticket_url(order))

    assert response.status_code == 200
    ticket = response.context["ticket"]
    [burger, lemonade] = ticket.lines
    assert (burger.quantity, burger.name, burger.removed, burger.notes) == (2, "Burger", ["no pickles"], "well done")
    assert [option.name for option in burger.options] == ["Extra cheese"] and lemonade.options == []
    content = response.content.decode()
    for fact in ("Lola Flores", "Calle Mayor 1", "28013 Madrid", "433", "ring twice", "Ana", "27.50 EUR",
                 "2.50 EUR", "prepaid", "From the channel: the order as sent"):
        assert fact in content, fact


def test_the_ticket_has_no_editable_money_field_and_a_post_changes_nothing(admin_client, order):
    page = admin_client.get(ticket_url(order)).content.decode()

    assert control_names(page) <= BUTTON_FIELDS  # only the buttons' own inputs, no field of the order
    assert not control_names(page) & MONEY_FIELDS

    response = admin_client.post(ticket_url(order), {"total_amount": "0.01", "delivery_fee": "0", "status": "ready"})

    assert response.status_code == 403
    order.refresh_from_db()
    assert (order.total_amount, order.delivery_fee, order.status) == (
        Decimal("27.50"), Decimal("2.50"), OrderStatus.RECEIVED
    )
    assert order.status_changes.count() == 0 and order.sync_jobs.count() == 0


def test_times_are_in_the_restaurants_zone_with_the_zone_named(admin_client, order):
    ticket = admin_client.get(ticket_url(order)).content.decode()
    listing = admin_client.get(reverse("admin:orders_order_changelist")).content.decode()

    assert "2026-12-01 13:05 Europe/Madrid" in ticket
    assert LIST_CELL in listing  # the zone on its own line keeps the column narrow
    assert "12:05" not in listing  # no bare UTC time beside it


def test_a_long_connection_name_is_cut_on_the_lists_and_whole_in_its_title(admin_client, order):
    listing = admin_client.get(reverse("admin:orders_order_changelist")).content.decode()

    full = str(order.connection)
    assert len(full) > 40
    assert f'title="{full}"' in listing
    assert f">{full}<" not in listing  # never written out whole in the column


def test_buttons_are_only_the_moves_the_state_machine_allows(admin_client, order):
    received = admin_client.get(ticket_url(order))
    order.status = OrderStatus.READY
    order.save(update_fields=["status"])
    ready = admin_client.get(ticket_url(order))
    order.status = OrderStatus.DELIVERED
    order.save(update_fields=["status"])
    delivered = admin_client.get(ticket_url(order))

    assert [move.name for move in received.context["moves"]] == [
        "accept", "reject", "preparing", "ready", "picked_up", "delivered", "cancel"
    ]
    assert [move.name for move in ready.context["moves"]] == ["picked_up", "delivered", "cancel"]
    assert delivered.context["moves"] == [] and b"data-move=\"accept\"" not in delivered.content


def test_a_reservation_offers_the_table_moves(admin_client):
    from tests.factories.orders import ReservationFactory

    reservation = ReservationFactory(connection=ConnectionFactory())

    requested = admin_client.get(ticket_url(reservation))
    reservation.status = OrderStatus.ARRIVED
    reservation.save(update_fields=["status"])
    arrived = admin_client.get(ticket_url(reservation))

    assert [move.name for move in requested.context["moves"]] == [
        "confirm", "refuse", "arrived", "seat", "complete", "no_show", "cancel"
    ]
    # the guests are at the door: no longer a no-show, and nothing to refuse or to reason about in codes
    assert [move.name for move in arrived.context["moves"]] == ["seat", "complete", "cancel"]
    assert b'name="reason_code"' not in arrived.content


def test_reject_and_cancel_offer_the_reason_codes_and_the_orders_skus(admin_client, order):
    from canonical import RefusalReason

    page = admin_client.get(ticket_url(order))
    html = page.content.decode()

    assert page.context["reason_codes"] == RefusalReason.choices
    skus = [sku for sku, _name in page.context["order_skus"]]
    burger, cheese, lemonade = (order.lines.get(name=name).sku for name in ("Burger", "Extra cheese", "Lemonade"))
    assert skus == [burger, lemonade, cheese]  # products first, then their options
    assert html.count('name="reason_code"') == 2  # reject and cancel
    assert html.count(f'name="unavailable_items" value="{burger}"') == 2
    for value, label in RefusalReason.choices:
        assert f'<option value="{value}">{escape(label)}</option>' in html


def test_the_job_list_shows_times_in_the_restaurants_zone_and_cuts_long_names(admin_client, order):
    from integrations.models import SyncJob

    SyncJob.objects.create(connection=order.connection, kind=SyncJob.Kind.ORDER_STATUS, order=order, payload={},
                           target="order A042 → accepted", created_at=PLACED, next_attempt_at=PLACED)

    listing = admin_client.get(reverse("admin:integrations_syncjob_changelist")).content.decode()

    assert LIST_CELL in listing
    name = order.restaurant.name
    assert f'title="{name}"' in listing and f">{name}<" not in listing


def test_the_ticket_costs_the_same_queries_for_a_long_order(admin_client, order, django_assert_max_num_queries):
    from tests.factories.orders import StatusChangeFactory

    with django_assert_max_num_queries(30) as short:
        admin_client.get(ticket_url(order))
    for _ in range(15):
        OptionLineFactory(parent=OrderLineFactory(order=order))
        StatusChangeFactory(order=order)

    with django_assert_max_num_queries(len(short.captured_queries)):
        admin_client.get(ticket_url(order))


def test_the_couriers_reports_are_on_the_channels_side_of_the_timeline(admin_client):
    from canonical import CourierStage, CourierUpdate
    from orders.channel_door import take_courier_update

    order = OrderFactory(connection=ConnectionFactory())
    take_courier_update(order, CourierUpdate(stage=CourierStage.AT_RESTAURANT, name="Ana"))

    response = admin_client.get(ticket_url(order))

    sides = [(entry.side, entry.what) for _when, entry in response.context["timeline"]]
    assert ("channel", "Courier: Courier at the restaurant (Ana)") in sides
