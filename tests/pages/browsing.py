"""What the status pages' browser tests share: Casa Lucía on the Sandbox Market, and logging in."""

from __future__ import annotations

from pathlib import Path

from tests.factories.catalog import (
    MenuFactory,
    OptionCategoryFactory,
    OptionFactory,
    ProductFactory,
    ProductOptionCategoryFactory,
    SectionFactory,
    SectionItemFactory,
)
from tests.factories.integrations import ChannelFactory, ConnectionFactory
from tests.factories.restaurants import DEFAULT_PASSWORD, RestaurantFactory, RestaurantMemberFactory

API_KEY = "mk_browser_KEY_1"
WEBHOOK_SECRET = "whsec_browser_1"
DOCS = Path(__file__).resolve().parents[2] / "docs"
STORE = "casa-lucia"


def open_casa_lucia(market, live_server):
    """Casa Lucía (a manager, lucia), its menu, its Sandbox Market store; and a restaurant she must not see."""
    member = RestaurantMemberFactory(restaurant__name="Casa Lucía", restaurant__slug="casa-lucia",
                                     user__username="lucia")
    restaurant = member.restaurant
    section = SectionFactory(menu=MenuFactory(restaurant=restaurant, name="Carta"), name="Pizzas y bebidas")
    extras = OptionCategoryFactory(restaurant=restaurant, ref="extras", name="Extras")
    OptionFactory(category=extras, sku="EXT-BURRATA", name="Burrata", price="2.00")
    for sku, name, price in (("PIZ-MARG", "Margherita", "9.50"), ("PIZ-DIAV", "Diavola", "11.00"),
                             ("BEB-CANA", "Caña", "2.50")):
        product = ProductFactory(restaurant=restaurant, sku=sku, name=name, price=price)
        SectionItemFactory(section=section, product=product)
        if sku.startswith("PIZ"):
            ProductOptionCategoryFactory(product=product, category=extras)
    connection = ConnectionFactory(
        restaurant=restaurant, channel=ChannelFactory(name="Sandbox Market ES", sandbox_base_url=market.url),
        store_id=STORE, credentials={"api_key": API_KEY, "webhook_secret": WEBHOOK_SECRET},
    )
    market.register_store(store_ref=STORE, api_key=API_KEY, webhook_secret=WEBHOOK_SECRET, currency="EUR",
                          webhook_url=f"{live_server.url}/webhooks/{connection.webhook_token}/")
    RestaurantFactory(name="Otro Sitio", slug="otro-sitio")
    return member


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/restaurants/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/restaurants/")
