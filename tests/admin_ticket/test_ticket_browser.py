"""A support agent in headless Chromium: open an order's ticket, accept it, see it sent; the connection page.

The screenshots are the README's support tour (``SINQRO_UPDATE_DOCS=1`` copies them into docs/).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from django.urls import reverse

from orders.models import OrderStatus
from tests.factories.integrations import SANDBOX_API_KEY, ChannelFactory, ConnectionFactory
from tests.factories.restaurants import DEFAULT_PASSWORD, UserFactory
from tests.outbound.conftest import drain, fast_outbound  # noqa: F401
from tests.pages.conftest import artifacts_dir, browser  # noqa: F401  (the status pages' Chromium fixture)

from .conftest import STORE, order_from_market

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.fixture
def casa_lucia(market):
    market.register_store(store_ref=STORE, api_key=SANDBOX_API_KEY, currency="EUR")
    return ConnectionFactory(
        restaurant__name="Casa Lucía", restaurant__timezone="Europe/Madrid",
        channel=ChannelFactory(name="Sandbox Market ES", sandbox_base_url=market.url), store_id=STORE,
        auto_accept_prep_minutes=20,
    )


def log_in(browser, live_server):  # noqa: F811
    UserFactory(username="support", is_staff=True, is_superuser=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", "support")
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("input[type=submit]")
    return page


def test_support_accepts_an_order_from_its_ticket_and_sees_it_sent(browser, market, casa_lucia, live_server,  # noqa: F811
                                                                   artifacts_dir):  # noqa: F811
    order = order_from_market(market, casa_lucia, kind="HOME_DELIVERY")
    page = log_in(browser, live_server)

    page.goto(f"{live_server.url}{reverse('admin:orders_order_changelist')}")
    page.click(f"text={order.display_code}")
    page.wait_for_selector("[data-testid=order-ticket]")
    assert page.inner_text("[data-testid=ticket-status]") == "Received"
    first_line = order.lines.filter(parent__isnull=True).order_by("position", "id").first()
    assert first_line.name in page.inner_text("[data-testid=ticket-lines]")
    assert "Europe/Madrid" in page.inner_text(".facts-inline")
    assert page.locator("[data-move=seat]").count() == 0  # a delivery has no table moves

    page.screenshot(path=str(artifacts_dir / "admin_order_ticket_received.png"), full_page=True)
    page.fill("input[name=prep_minutes]", "25")
    page.click("[data-move=accept]")
    page.wait_for_selector("text=received → accepted: the channel will be told.")
    assert drain() == ["succeeded"]  # the worker's part, run here
    page.reload()

    assert page.inner_text("[data-testid=ticket-status]") == "Accepted"
    timeline = page.inner_text("[data-testid=ticket-timeline]")
    assert "Staff: received → accepted" in timeline and "Sent to Sandbox Market ES: accepted" in timeline
    assert "set_order_status" in page.inner_text("[data-testid=ticket-calls]")
    assert page.locator("[data-move=accept]").count() == 0 and page.locator("[data-move=ready]").count() == 1
    assert market.get_ticket(order.channel_order_id)["state"] == "CONFIRMED"
    order.refresh_from_db()
    assert order.status == OrderStatus.ACCEPTED
    page.screenshot(path=str(artifacts_dir / "admin_order_ticket.png"), full_page=True)

    page.goto(f"{live_server.url}{reverse('admin:integrations_connection_change', args=[casa_lucia.pk])}")
    page.wait_for_selector("text=Pause on this channel")
    assert page.input_value("input[name=auto_accept_prep_minutes]") == "20"
    page.screenshot(path=str(artifacts_dir / "admin_connection.png"), full_page=True)

    if os.environ.get("SINQRO_UPDATE_DOCS"):  # refresh the README's screenshots on request only
        for name in ("admin_order_ticket.png", "admin_connection.png"):
            shutil.copyfile(artifacts_dir / name, DOCS / name)


def test_support_rejects_an_order_for_items_out_of_stock_with_the_reason_code(browser, market, casa_lucia,  # noqa: F811
                                                                               live_server, artifacts_dir):  # noqa: F811
    from integrations.models import SyncJob

    order = order_from_market(market, casa_lucia, kind="HOME_DELIVERY")
    missing = order.lines.exclude(sku="").filter(parent__isnull=True).order_by("position", "id").first()
    page = log_in(browser, live_server)
    page.goto(f"{live_server.url}{reverse('admin:orders_order_change', args=[order.pk])}")
    reject = page.locator("form.with-code", has=page.locator("[data-move=reject]"))
    boxes = reject.locator("[data-out-of-stock]")
    assert not boxes.is_visible()  # the SKUs belong to one reason only

    reject.locator("select[name=reason_code]").select_option("items_unavailable")
    assert boxes.is_visible()
    boxes.locator(f"input[value='{missing.sku}']").check()
    page.screenshot(path=str(artifacts_dir / "admin_order_ticket_reject.png"), full_page=True)
    reject.locator("[data-move=reject]").click()
    page.wait_for_selector("text=received → rejected: the channel will be told.")

    [job] = SyncJob.objects.filter(order=order, kind=SyncJob.Kind.ORDER_STATUS)
    update = job.payload["update"]
    assert (update["reason_code"], update["unavailable_items"], update["reason"]) == (
        "items_unavailable", [missing.sku], "Items out of stock"
    )
    assert drain() == ["succeeded"]
    page.reload()
    assert page.inner_text("[data-testid=ticket-status]") == "Rejected"
    assert "No move from" in page.inner_text("[data-testid=ticket-actions]")
    assert market.get_ticket(order.channel_order_id)["state"] == "DECLINED"


def test_a_new_connection_takes_its_credentials_on_the_first_save(browser, market, live_server):  # noqa: F811
    from integrations.models import Connection
    from tests.factories.restaurants import RestaurantFactory

    restaurant = RestaurantFactory(name="Bar Pepe")
    channel = ChannelFactory(name="Sandbox Market PT", sandbox_base_url=market.url)
    page = log_in(browser, live_server)

    page.goto(f"{live_server.url}{reverse('admin:integrations_connection_add')}?restaurant={restaurant.pk}")
    assert page.locator("input[name=cred__api_key]").count() == 0
    page.select_option("select[name=channel]", str(channel.pk))  # the page redraws with the channel's fields
    page.wait_for_selector("input[name=cred__api_key]")
    page.fill("input[name=store_id]", "bar-pepe")
    page.fill("input[name=cred__api_key]", "mk_browser_KEY_1")
    page.fill("input[name=cred__webhook_secret]", "whsec_browser_SECRET_1")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")

    created = Connection.objects.get(store_id="bar-pepe")
    assert (created.restaurant, created.channel) == (restaurant, channel)
    assert dict(created.credentials) == {"api_key": "mk_browser_KEY_1", "webhook_secret": "whsec_browser_SECRET_1"}
