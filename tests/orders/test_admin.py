"""Support staff's admin pages for orders render, and history stays read-only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone

from integrations.models import Channel, Connection
from orders.admin import LAST_DRIVER_LOCATIONS
from orders.models import OrderStatus, StatusSource
from orders.status import apply_status
from tests.factories.orders import (
    DeliveryFactory,
    DriverLocationFactory,
    OptionLineFactory,
    OrderFactory,
    OrderLineFactory,
    PaymentFactory,
    ReservationFactory,
)
from tests.factories.restaurants import RestaurantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def order():
    restaurant = RestaurantFactory()
    channel = Channel.objects.create(name="Sandbox Market ES", module="sandbox_market")
    connection = Connection.objects.create(restaurant=restaurant, channel=channel, store_id="store-1")
    order = OrderFactory(restaurant=restaurant, connection=connection, display_code="A42", customer_name="Lola")
    pizza = OrderLineFactory(order=order, name="Pizza", unit_price=Decimal("12.50"), quantity=2)
    OptionLineFactory(parent=pizza, name="Extra cheese")
    PaymentFactory(order=order, amount=Decimal("26.50"))
    DeliveryFactory(order=order, by_restaurant=True)
    now = timezone.now()
    for minutes in range(LAST_DRIVER_LOCATIONS + 5):
        DriverLocationFactory(order=order, recorded_at=now - dt.timedelta(minutes=minutes))
    apply_status(order, OrderStatus.ACCEPTED, source=StatusSource.CHANNEL)
    apply_status(order, OrderStatus.RECEIVED, source=StatusSource.CHANNEL)  # stale, recorded
    order.recalculate_totals()
    return order


@pytest.mark.parametrize(
    "query",
    ["", "?q=A42", "?q=Lola", "?status__exact=accepted", "?service_type__exact=delivery", "?needs_attention__exact=1"],
)
def test_order_changelist_renders(admin_client, order, query):
    ReservationFactory()

    response = admin_client.get(reverse("admin:orders_order_changelist") + query)

    assert response.status_code == 200


def test_order_changelist_queries_do_not_grow_with_orders(admin_client, order, django_assert_max_num_queries):
    for _ in range(10):
        OrderFactory(restaurant=order.restaurant, connection=order.connection)

    with django_assert_max_num_queries(12):
        admin_client.get(reverse("admin:orders_order_changelist"))


def test_order_change_page_shows_lines_history_and_last_locations(admin_client, order):
    response = admin_client.get(reverse("admin:orders_order_change", args=[order.pk]))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Extra cheese" in content
    assert "stale: received is behind accepted" in content
    locations = next(f for f in response.context["inline_admin_formsets"] if f.opts.model.__name__ == "DriverLocation")
    assert len(locations.formset.forms) == LAST_DRIVER_LOCATIONS


def test_a_line_parent_can_only_be_a_product_of_the_same_order(admin_client, order):
    OrderLineFactory(name="Line of another order")

    response = admin_client.get(reverse("admin:orders_order_change", args=[order.pk]))

    lines = next(f for f in response.context["inline_admin_formsets"] if f.opts.model.__name__ == "OrderLine")
    parents = lines.formset.forms[0].fields["parent"].queryset
    assert [line.name for line in parents] == ["Pizza"]


def test_order_change_form_saves_with_its_inlines(admin_client, order):
    url = reverse("admin:orders_order_change", args=[order.pk])
    page = admin_client.get(url)
    data = _post_data(page)
    data["needs_attention"] = "on"
    data["attention_reason"] = "customer called"

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    order.refresh_from_db()
    assert order.needs_attention
    assert order.status == "accepted"  # read-only here: moves go through apply_status
    assert order.status_changes.count() == 2
    assert order.driver_locations.count() == LAST_DRIVER_LOCATIONS + 5


def test_order_add_page_renders(admin_client):
    assert admin_client.get(reverse("admin:orders_order_add")).status_code == 200


@pytest.mark.parametrize("model", ["statuschange", "driverlocation"])
def test_history_admins_are_read_only(admin_client, order, model):
    row = order.status_changes.first() if model == "statuschange" else order.driver_locations.first()

    changelist = admin_client.get(reverse(f"admin:orders_{model}_changelist"))
    view = admin_client.get(reverse(f"admin:orders_{model}_change", args=[row.pk]))
    add = admin_client.get(reverse(f"admin:orders_{model}_add"))
    delete = admin_client.get(reverse(f"admin:orders_{model}_delete", args=[row.pk]))

    assert (changelist.status_code, view.status_code, add.status_code, delete.status_code) == (200, 200, 403, 403)
    assert b'name="_save"' not in view.content


def _post_data(page) -> dict[str, str]:
    """The change form as the browser would submit it unchanged."""
    data: dict[str, str] = {}
    form = page.context["adminform"].form
    for name, field in form.fields.items():
        _put(data, name, field, form.initial.get(name))
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        for name, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{name}"] = str(value)
        for sub in formset.forms:
            for name, field in sub.fields.items():
                _put(data, sub.add_prefix(name), field, sub.initial.get(name, getattr(sub.instance, name, None)))
    return data


def _put(data: dict, name: str, field: forms.Field, value) -> None:
    if isinstance(field, forms.SplitDateTimeField):  # the admin's date + time widgets
        local = timezone.localtime(value) if value else None
        data[f"{name}_0"] = local.strftime("%Y-%m-%d") if local else ""
        data[f"{name}_1"] = local.strftime("%H:%M:%S") if local else ""
    elif value is True:
        data[name] = "on"
    elif value is not False:
        data[name] = "" if value is None else str(getattr(value, "pk", value))
