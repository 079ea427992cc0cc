"""The status page in real headless Chromium, against the Sandbox Market and a real worker.

Playwright's sync API runs its own event loop in this thread; the Django ORM
calls the test makes meanwhile are synchronous and safe, so Django's async
guard is relaxed for this module only.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest

from integrations.inbound.attention import flag_waiting_orders
from orders.models import Order
from tests.pages.browsing import API_KEY, DOCS, STORE, log_in, open_casa_lucia

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def casa_lucia(market, live_server, settings):
    settings.STATUS_PAGE_REFRESH_MS = 700
    return open_casa_lucia(market, live_server)


def test_a_manager_sees_live_data_and_publishes_the_menu(browser, casa_lucia, market, celery_worker, live_server):
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



def test_another_restaurants_page_is_refused(browser, casa_lucia, live_server):
    page = browser.new_page()
    log_in(page, live_server, "lucia")
    assert "Otro Sitio" not in page.content()
    response = page.goto(f"{live_server.url}/restaurants/otro-sitio/")
    assert response.status == 404


def eventually(check: Callable[[], object], timeout: float = 30.0, what: str = "") -> object:
    """Poll ``check`` until it returns something true, or fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout:g} s: {what}")
        time.sleep(0.25)


def menu_entry(market, plu: str) -> dict:
    menu = market.api("GET", STORE, "/menu", API_KEY).body
    return next(item for m in menu["menus"] for section in m["sections"] for item in section["items"]
                if item["plu"] == plu)


def test_the_manager_confirms_a_reservation_and_the_market_has_it_booked(browser, casa_lucia, market,
                                                                         celery_worker, live_server):
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    log_in(page, live_server, "lucia")
    page.goto(f"{live_server.url}/restaurants/casa-lucia/")
    booking = market.create_booking(STORE, covers=4, comment="window table, a birthday",
                                    customer={"display_name": "Marta Pons", "phone": "+34600111222"})

    reservations = page.locator("[data-testid=reservations]")
    reservations.get_by_text("Marta Pons").wait_for(timeout=20_000)
    assert "4 diners" in reservations.inner_text() and "window table" in reservations.inner_text()
    reservations.locator("button[data-action=confirm]").click()

    page.wait_for_selector("text=Confirm. Telling the channel…")
    eventually(lambda: market.get_ticket(booking["ticket_id"])["state"] == "BOOKED", what="the market booked it")
    reservations.get_by_text("our “confirmed”: reached the channel").wait_for(timeout=20_000)
    assert reservations.locator("button[data-action=seat]").count() == 1  # the next step is offered


def test_the_manager_marks_an_item_out_of_stock_and_the_markets_menu_shows_it(browser, casa_lucia, market,
                                                                              celery_worker, live_server):
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    log_in(page, live_server, "lucia")
    page.goto(f"{live_server.url}/restaurants/casa-lucia/")
    page.click("text=Publish menu now")
    page.wait_for_selector("[data-testid=last-publish] >> text=reached the channel", timeout=30_000)
    assert menu_entry(market, "PIZ-MARG")["available"] is True

    row = page.locator("[data-testid=item-PIZ-MARG]")
    row.locator("input[name=until]").fill("23:30")
    row.get_by_role("button", name="Mark out of stock").click()

    page.wait_for_selector("[data-testid=item-PIZ-MARG] >> text=out of stock until 23:30")
    eventually(lambda: menu_entry(market, "PIZ-MARG")["available"] is False, what="the market's menu has it off")
    assert menu_entry(market, "PIZ-DIAV")["available"] is True  # only that item
    sync = f"[data-testid=menu-sync-{casa_lucia.restaurant.connections.get().pk}]"
    page.wait_for_selector(f"{sync} >> text=snooze Margherita", timeout=20_000)
    page.wait_for_selector(f"{sync} >> text=reached the channel", timeout=20_000)

    page.locator("[data-testid=item-PIZ-MARG]").get_by_role("button", name="Back on sale now").click()
    eventually(lambda: menu_entry(market, "PIZ-MARG")["available"] is True, what="back on the market's menu")


def test_the_manager_sees_an_orders_contents_on_a_desk_and_a_phone(browser, casa_lucia, market, celery_worker,
                                                                   live_server, artifacts_dir):
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    log_in(page, live_server, "lucia")
    page.goto(f"{live_server.url}/restaurants/casa-lucia/")
    ticket = market.create_ticket(STORE, kind="HOME_DELIVERY", comment="ring twice, 3rd floor", basket=[
        {"plu": "PIZ-MARG", "title": "Margherita", "qty": 2, "unit_cents": 950, "vat_pct": 10,
         "extras": [{"plu": "EXT-BURRATA", "title": "Burrata", "qty": 2, "unit_cents": 200, "vat_pct": 10}]},
        {"plu": "BEB-CANA", "title": "Caña", "qty": 1, "unit_cents": 250, "vat_pct": 10},
    ])
    market.create_ticket(STORE, kind="TAKEAWAY", basket=[
        {"plu": "PIZ-DIAV", "title": "Diavola", "qty": 1, "unit_cents": 1100, "vat_pct": 10}])
    market.create_booking(STORE, covers=6, customer={"display_name": "Jordi Vila", "phone": "+34600333444"})

    code = ticket["pickup_code"]
    page.wait_for_selector(f"[data-testid=orders] >> text={code}", timeout=20_000)
    order = eventually(lambda: Order.objects.filter(channel_order_id__contains=ticket["ticket_id"]).first()
                       or Order.objects.filter(display_code=code).first(), what="the order stored")
    card = page.locator(f"[data-testid=order-{order.pk}]")
    text = card.inner_text()
    for words in ("Sandbox Market ES", "Delivery", "2× Margherita", "Burrata", "1× Caña", "ring twice, 3rd floor"):
        assert words in text, words
    total = Decimal(ticket["totals"]["grand_total_cents"]) / 100
    assert order.total_amount == total and f"€{total:.2f}" in text
    page.wait_for_selector("[data-testid=reservations] >> text=Jordi Vila", timeout=20_000)
    page.wait_for_selector("[data-testid=today-orders] >> text=2 orders", timeout=20_000)
    flag_waiting_orders(after=timedelta(0))  # as the attention task does once orders wait too long
    page.wait_for_selector("[data-testid=attention] >> text=nobody has acted on it", timeout=20_000)

    page.screenshot(path=str(artifacts_dir / "status_page.png"), full_page=True)
    phone = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    phone.context.add_cookies(page.context.cookies())
    phone.goto(f"{live_server.url}/restaurants/casa-lucia/")
    phone.screenshot(path=str(artifacts_dir / "status_page_phone.png"), full_page=True)
    wide = phone.evaluate("""[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 391)
        .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).slice(0, 8)""")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390, wide  # nothing runs off a phone's screen
    if os.environ.get("SINQRO_UPDATE_DOCS"):  # refresh the README's screenshots on request only
        for name in ("status_page.png", "status_page_phone.png"):
            shutil.copyfile(artifacts_dir / name, DOCS / name)


def test_the_manager_switches_the_page_to_spanish(browser, casa_lucia, market, celery_worker, live_server,
                                                  artifacts_dir):
    from sinqro_platform.languages.models import RestaurantLanguage

    RestaurantLanguage.objects.create(restaurant=casa_lucia.restaurant, language="es")  # its money and days
    page = browser.new_page(viewport={"width": 1200, "height": 900}, locale="es-ES")
    log_in(page, live_server, "lucia")
    page.goto(f"{live_server.url}/restaurants/casa-lucia/")
    ticket = market.create_ticket(STORE, kind="HOME_DELIVERY", comment="sin cebolla, por favor", basket=[
        {"plu": "PIZ-DIAV", "title": "Diavola", "qty": 1, "unit_cents": 1100, "vat_pct": 10,
         "extras": [{"plu": "EXT-BURRATA", "title": "Burrata", "qty": 1, "unit_cents": 200, "vat_pct": 10}]}])
    market.create_booking(STORE, covers=2, customer={"display_name": "Ana Ruiz", "phone": "+34600555666"})
    page.wait_for_selector(f"[data-testid=orders] >> text={ticket['pickup_code']}", timeout=20_000)
    page.wait_for_selector("[data-testid=reservations] >> text=Ana Ruiz", timeout=20_000)

    page.select_option("#language-switcher-select", "es")

    page.wait_for_selector("h2 >> text=Pedidos")
    assert page.get_attribute("html", "lang") == "es"
    text = page.inner_text("main")
    for words in ("Requiere atención", "Reservas", "2 comensales", "Confirmar", "Entrega a domicilio", "Marcar agotado",
                  "Productos de la carta"):
        assert words in text, words
    assert "15,50\xa0€" in text  # the restaurant's money, in its language
    page.wait_for_selector("[data-testid=updated]")  # the live part refreshes in Spanish too
    page.wait_for_function("document.querySelector('#live').innerText.includes('Hoy')")
    page.screenshot(path=str(artifacts_dir / "status_page_es.png"), full_page=True)
    if os.environ.get("SINQRO_UPDATE_DOCS"):
        shutil.copyfile(artifacts_dir / "status_page_es.png", DOCS / "status_page_es.png")
