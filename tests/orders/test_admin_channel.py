"""Support sees what the channel said, in words: a read-only "from the channel" section, unknown said as unknown."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from canonical import CourierStage, CourierUpdate
from orders.channel_door import ChannelLink, take_channel_status, take_courier_update, take_order
from orders.channel_view import NOT_SAID
from orders.models import CourierReport, OrderStatus
from tests.factories.integrations import ConnectionFactory
from tests.factories.orders import OrderFactory

from .fidelity_samples import PLACED, cancelled_by_customer, full_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def order():
    connection = ConnectionFactory()
    link = ChannelLink(connection_id=connection.pk, restaurant_id=connection.restaurant_id)
    order, _ = take_order(link, full_order(), correlation_id="evt-1", occurred_at=PLACED)
    take_channel_status(order, OrderStatus.CANCELLED, channel_status="CANCELLED", cancellation=cancelled_by_customer())
    take_courier_update(order, CourierUpdate(stage=CourierStage.ASSIGNED, name="Ana"),
                        occurred_at=PLACED + dt.timedelta(minutes=1))
    return order


def test_the_change_page_shows_what_the_channel_said(admin_client, order):
    response = admin_client.get(reverse("admin:orders_order_change", args=[order.pk]))

    assert response.status_code == 200
    content = response.content.decode()
    assert "From the channel: handover and requests" in content
    assert "433" in content and "C-77" in content and "severe peanut allergy" in content
    assert NOT_SAID in content  # the VAT
    assert "<th>Bag</th><td>0.20 EUR</td>" in content and "<th>pick_and_pack</th><td>0.30 EUR</td>" in content
    assert "by The customer · USER_ERROR · customer has cancelled" in content
    assert "&quot;pick_up_code&quot;: &quot;433&quot;" in content  # the raw order, pretty-printed and escaped
    assert "no Pickles" in content


def test_unknown_vat_reads_as_not_said_and_known_vat_as_its_amount(admin_client):
    unknown = OrderFactory(vat_amount=None, prices_include_vat=None, cutlery_requested=None)
    known = OrderFactory(vat_amount="2.10", cutlery_requested=True)

    unknown_page = admin_client.get(reverse("admin:orders_order_change", args=[unknown.pk])).content.decode()
    known_page = admin_client.get(reverse("admin:orders_order_change", args=[known.pk])).content.decode()

    assert unknown_page.count(NOT_SAID) >= 3  # VAT, where VAT sits, cutlery
    assert "2.10 EUR" in known_page


def test_courier_reports_are_listed_read_only(admin_client, order):
    report = CourierReport.objects.get()

    assert admin_client.get(reverse("admin:orders_courierreport_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:orders_courierreport_change", args=[report.pk])).status_code == 200
    assert admin_client.get(reverse("admin:orders_courierreport_add")).status_code == 403
