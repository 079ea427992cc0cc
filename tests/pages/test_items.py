"""Menu items out of stock until a time, and back on sale: through the catalog's snooze, one job per channel."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from catalog.models import Option, Product
from integrations.models import SyncJob
from restaurants.models import RestaurantMember
from tests.factories.catalog import OptionCategoryFactory, OptionFactory, ProductFactory, VariantFactory
from tests.factories.integrations import ChannelFactory, ConnectionFactory
from tests.factories.restaurants import RestaurantMemberFactory

pytestmark = pytest.mark.django_db
MADRID = ZoneInfo("Europe/Madrid")


@pytest.fixture
def manager():
    return RestaurantMemberFactory(restaurant__name="Casa Lucía", restaurant__slug="casa-lucia")


@pytest.fixture
def channels(manager):
    return [ConnectionFactory(restaurant=manager.restaurant, channel=ChannelFactory(name=name))
            for name in ("Market ES", "Market PT")]


@pytest.fixture
def margherita(manager):
    return ProductFactory(restaurant=manager.restaurant, sku="PIZ-MARG", name="Margherita")


def test_an_item_goes_out_of_stock_until_the_time_given_and_every_channel_gets_a_job(client, manager, channels,
                                                                                    margherita):
    client.force_login(manager.user)

    response = client.post("/restaurants/casa-lucia/items/out-of-stock/", {"sku": "PIZ-MARG", "until": "23:30"},
                           follow=True)

    margherita.refresh_from_db()
    local = margherita.snoozed_until.astimezone(MADRID)
    assert (local.hour, local.minute) == (23, 30)
    assert timedelta(0) < margherita.snoozed_until - datetime.now(MADRID) <= timedelta(days=1)
    jobs = SyncJob.objects.filter(kind__in=("catalog", "catalog_items"))
    assert sorted(job.connection_id for job in jobs) == sorted(c.pk for c in channels)
    sent = jobs.first().payload["products"]
    assert [p["available"] for p in sent if p["sku"] == "PIZ-MARG"] == [False]
    page = response.content.decode()
    assert "Margherita is out of stock until" in page and "telling 2 channel(s)" in page
    assert "out of stock until 23:30" in page and "Back on sale now" in page
    live = client.get("/restaurants/casa-lucia/live/").content.decode()
    for connection in channels:  # each channel shows the change on its way
        sync = live.split(f'data-testid="menu-sync-{connection.pk}"')[1].split("</li>")[0]
        assert "snooze Margherita (PIZ-MARG) until 23:30" in sync and "sending…" in sync


def test_back_on_sale_ends_the_snooze_and_tells_the_channels(client, manager, channels, margherita):
    client.force_login(manager.user)
    client.post("/restaurants/casa-lucia/items/out-of-stock/", {"sku": "PIZ-MARG", "until": "23:30"})

    response = client.post("/restaurants/casa-lucia/items/back-on-sale/", {"sku": "PIZ-MARG"}, follow=True)

    assert Product.objects.get(pk=margherita.pk).snoozed_until is None
    assert "Margherita is back on sale" in response.content.decode()
    latest = SyncJob.objects.filter(connection=channels[0]).order_by("-id").first()
    assert [p["available"] for p in latest.payload["products"] if p["sku"] == "PIZ-MARG"] == [True]


def test_an_option_can_be_marked_out_of_stock_too(client, manager, channels):
    extra = OptionFactory(category=OptionCategoryFactory(restaurant=manager.restaurant, name="Extras"),
                          sku="EXT-BURRATA", name="Burrata")
    client.force_login(manager.user)
    assert "Burrata" in client.get("/restaurants/casa-lucia/").content.decode()

    client.post("/restaurants/casa-lucia/items/out-of-stock/", {"sku": "EXT-BURRATA", "until": "22:00"})

    assert Option.objects.get(pk=extra.pk).snoozed_until is not None
    assert SyncJob.objects.count() == 2


def test_a_bad_time_a_size_and_a_stranger_sku_change_nothing(client, manager, channels, margherita):
    VariantFactory(product=margherita, sku="PIZ-MARG-XL")
    ProductFactory(sku="THEIRS")  # another restaurant's
    client.force_login(manager.user)

    bad_time = client.post("/restaurants/casa-lucia/items/out-of-stock/", {"sku": "PIZ-MARG", "until": "later"},
                           follow=True)
    assert "Give the time it is back on sale" in bad_time.content.decode()
    assert client.post("/restaurants/casa-lucia/items/out-of-stock/",
                       {"sku": "PIZ-MARG-XL", "until": "22:00"}).status_code == 404
    assert client.post("/restaurants/casa-lucia/items/out-of-stock/",
                       {"sku": "THEIRS", "until": "22:00"}).status_code == 404
    assert Product.objects.filter(snoozed_until__isnull=False).count() == 0 and not SyncJob.objects.exists()


def test_staff_members_see_the_items_but_cannot_change_them(client, manager, channels, margherita):
    waiter = RestaurantMemberFactory(restaurant=manager.restaurant, role=RestaurantMember.Role.STAFF).user
    client.force_login(waiter)

    page = client.get("/restaurants/casa-lucia/").content.decode()
    assert "Margherita" in page and "Mark out of stock" not in page
    assert client.post("/restaurants/casa-lucia/items/out-of-stock/",
                       {"sku": "PIZ-MARG", "until": "22:00"}).status_code == 403
    assert not SyncJob.objects.exists()
