"""The status page in real headless Chromium, against the Sandbox Market and a real worker.

Playwright's sync API runs its own event loop in this thread; the Django ORM
calls the test makes meanwhile are synchronous and safe, so Django's async
guard is relaxed for this module only.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.factories.catalog import ProductFactory
from tests.factories.integrations import ChannelFactory, ConnectionFactory
from tests.factories.restaurants import DEFAULT_PASSWORD, RestaurantFactory, RestaurantMemberFactory

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

API_KEY = "mk_browser_KEY_1"
WEBHOOK_SECRET = "whsec_browser_1"
DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.fixture
def casa_lucia(market, live_server, settings):
    settings.STATUS_PAGE_REFRESH_MS = 700
    member = RestaurantMemberFactory(restaurant__name="Casa Lucía", restaurant__slug="casa-lucia",
                                     user__username="lucia")
    restaurant = member.restaurant
    for sku, name in (("PIZ-MARG", "Margherita"), ("BEB-CANA", "Caña")):
        ProductFactory(restaurant=restaurant, sku=sku, name=name)
    connection = ConnectionFactory(
        restaurant=restaurant, channel=ChannelFactory(name="Sandbox Market ES", sandbox_base_url=market.url),
        store_id="casa-lucia", credentials={"api_key": API_KEY, "webhook_secret": WEBHOOK_SECRET},
    )
    market.register_store(store_ref="casa-lucia", api_key=API_KEY, webhook_secret=WEBHOOK_SECRET, currency="EUR",
                          webhook_url=f"{live_server.url}/webhooks/{connection.webhook_token}/")
    RestaurantFactory(name="Otro Sitio", slug="otro-sitio")
    return member


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/restaurants/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/restaurants/")


def test_a_manager_sees_live_data_and_publishes_the_menu(browser, casa_lucia, market, celery_worker, live_server,
                                                         artifacts_dir):
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    log_in(page, live_server, "lucia")
    page.click("text=Casa Lucía")
    page.wait_for_selector("text=Sandbox Market ES")
    assert "never published" in page.inner_text("[data-testid=last-publish]")

    # An order placed on the market arrives by webhook and shows up without a reload.
    ticket = market.create_ticket("casa-lucia", kind="HOME_DELIVERY")
    page.wait_for_selector(f"text={ticket['pickup_code']}", timeout=20_000)

    page.click("text=Publish menu now")
    page.wait_for_selector("text=Publishing the menu on Sandbox Market ES")
    page.wait_for_selector("[data-testid=last-publish] >> text=reached the channel", timeout=30_000)
    assert market.log("casa-lucia", "menu"), "the market never received the menu"

    page.screenshot(path=str(artifacts_dir / "status_page.png"), full_page=True)
    phone = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    phone.context.add_cookies(page.context.cookies())
    phone.goto(f"{live_server.url}/restaurants/casa-lucia/")
    phone.screenshot(path=str(artifacts_dir / "status_page_phone.png"), full_page=True)
    if os.environ.get("SINQRO_UPDATE_DOCS"):  # refresh the README's screenshots on request only
        for name in ("status_page.png", "status_page_phone.png"):
            shutil.copyfile(artifacts_dir / name, DOCS / name)


def test_another_restaurants_page_is_refused(browser, casa_lucia, live_server):
    page = browser.new_page()
    log_in(page, live_server, "lucia")
    assert "Otro Sitio" not in page.content()
    response = page.goto(f"{live_server.url}/restaurants/otro-sitio/")
    assert response.status == 404
