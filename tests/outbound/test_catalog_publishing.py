"""Catalog publishing with diffs against the Sandbox Market: no call, one partial call, or one full upload."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from catalog.export import build_canonical_catalog
from integrations.models import ChannelCall, ExternalRef, SyncJob
from integrations.outbound.services import publish_catalog, snooze, unsnooze
from tests.factories.catalog import (
    MenuFactory,
    OptionCategoryFactory,
    OptionFactory,
    ProductOptionCategoryFactory,
    SectionFactory,
    SectionItemFactory,
    VariantFactory,
)
from tests.factories.integrations import ChannelFactory, ConnectionFactory

from .conftest import API_KEY, WEBHOOK_SECRET, drain

pytestmark = pytest.mark.django_db


def small_catalog(restaurant):
    section = SectionFactory(menu=MenuFactory(restaurant=restaurant, name="Carta"), name="Pizzas")
    pizza = SectionItemFactory(section=section, product__sku="PIZ-MARG", product__price=Decimal("11.50")).product
    SectionItemFactory(section=section, product__sku="BEB-CANA", product__price=Decimal("2.50"))
    VariantFactory(product=pizza, sku="PIZ-MARG-L", price=Decimal("14.00"))
    category = OptionCategoryFactory(restaurant=restaurant, ref="extras")
    ProductOptionCategoryFactory(product=pizza, category=category)
    cheese = OptionFactory(category=category, sku="OPT-CHEESE")
    return pizza, cheese


def publish_and_run(restaurant):
    before = ChannelCall.objects.count()
    jobs = publish_catalog(restaurant)
    drain()
    return [SyncJob.objects.get(pk=job.pk) for job in jobs], ChannelCall.objects.count() - before


def test_first_publish_uploads_everything_polls_and_stores_refs(market, connection, enqueued):
    small_catalog(connection.restaurant)

    [job], _ = publish_and_run(connection.restaurant)

    assert job.state == SyncJob.State.SUCCEEDED and job.result["plan"] == "full"
    assert [entry["kind"] for entry in market.log("casa-lucia")] == ["menu"]
    operations = list(ChannelCall.objects.order_by("id").values_list("operation", flat=True))
    assert operations[0] == "publish_catalog" and set(operations[1:]) == {"get_publish_result"}
    refs = set(ExternalRef.objects.filter(connection=connection).values_list("kind", "local_ref"))
    assert {("product", "PIZ-MARG"), ("variant", "PIZ-MARG-L"), ("option", "OPT-CHEESE"),
            ("option_category", "extras")} <= refs


def test_an_unchanged_republish_makes_no_call(market, connection, enqueued):
    small_catalog(connection.restaurant)
    publish_and_run(connection.restaurant)

    [job], calls = publish_and_run(connection.restaurant)

    assert calls == 0
    assert job.state == SyncJob.State.SUCCEEDED and job.result["summary"] == "no changes"


def test_one_price_change_is_one_partial_call(market, connection, enqueued):
    pizza, _ = small_catalog(connection.restaurant)
    publish_and_run(connection.restaurant)
    pizza.price = Decimal("12.00")
    pizza.save()

    [job], calls = publish_and_run(connection.restaurant)

    assert calls == 1 and job.result["plan"] == "partial"
    [patch] = market.log("casa-lucia", kind="menu_item")
    assert patch["payload"] == {"plu": "PIZ-MARG", "price_cents": 1200}
    assert publish_and_run(connection.restaurant)[1] == 0  # the new price is now what the channel has


def test_one_price_change_is_one_full_upload_for_a_full_replace_channel(market, settings, enqueued):
    settings.SINQRO_EXTRA_CHANNEL_MODULES = ["tests.outbound.modules.FullReplaceMarket"]
    market.register_store(store_ref="full-store", api_key=API_KEY, webhook_secret=WEBHOOK_SECRET, currency="EUR")
    connection = ConnectionFactory(
        channel=ChannelFactory(module="full_replace_market", sandbox_base_url=market.url),
        store_id="full-store",
        credentials={"api_key": API_KEY, "webhook_secret": WEBHOOK_SECRET},
    )
    pizza, _ = small_catalog(connection.restaurant)
    publish_and_run(connection.restaurant)
    pizza.price = Decimal("12.00")
    pizza.save()

    [job], _ = publish_and_run(connection.restaurant)

    assert job.result["plan"] == "full"
    assert [entry["kind"] for entry in market.log("full-store")] == ["menu", "menu"]
    assert market.log("full-store", kind="menu_item") == []
    uploads = ChannelCall.objects.filter(connection=connection, operation="publish_catalog").count()
    assert uploads == 2


def test_a_removed_product_is_a_full_upload_and_its_ref_goes(market, connection, enqueued):
    small_catalog(connection.restaurant)
    publish_and_run(connection.restaurant)
    connection.restaurant.products.get(sku="BEB-CANA").delete()

    [job], _ = publish_and_run(connection.restaurant)

    assert job.result["plan"] == "full" and "product BEB-CANA removed" in job.result["summary"]
    assert not ExternalRef.objects.filter(connection=connection, local_ref="BEB-CANA").exists()
    menu = market.api("GET", "casa-lucia", "/menu", API_KEY).body
    assert [item["plu"] for item in menu["menus"][0]["sections"][0]["items"]] == ["PIZ-MARG"]


def test_a_snoozed_option_is_one_item_update_and_unsnooze_another(market, connection, enqueued):
    _, cheese = small_catalog(connection.restaurant)
    publish_and_run(connection.restaurant)

    [job] = snooze(cheese, timezone.now() + timedelta(hours=2))
    drain()
    unsnooze(cheese)
    drain()

    assert SyncJob.objects.get(pk=job.pk).kind == SyncJob.Kind.CATALOG_ITEMS
    patches = [entry["payload"] for entry in market.log("casa-lucia", kind="menu_item")]
    assert patches == [{"plu": "OPT-CHEESE", "available": False}, {"plu": "OPT-CHEESE", "available": True}]


def test_a_failed_upload_fails_the_job_with_the_channels_errors(market, connection, enqueued):
    small_catalog(connection.restaurant)
    market.add_fault(store_ref="casa-lucia", kind="menu_upload_failed", count=1)

    [job], _ = publish_and_run(connection.restaurant)

    assert job.state == SyncJob.State.FAILED
    assert job.last_error.startswith("the channel rejected the catalog: rejected")
    assert not ExternalRef.objects.filter(connection=connection).exists()


def grow(restaurant, products: int) -> None:
    section = SectionFactory(menu=MenuFactory(restaurant=restaurant))
    category = OptionCategoryFactory(restaurant=restaurant)
    OptionFactory.create_batch(3, category=category)
    for _ in range(products):
        product = SectionItemFactory(section=section, product__restaurant=restaurant).product
        VariantFactory(product=product)
        ProductOptionCategoryFactory(product=product, category=category)


@pytest.mark.parametrize("size", [1, 10])
def test_building_the_catalog_costs_the_same_queries_at_any_size(size, django_assert_num_queries):
    from tests.factories.restaurants import RestaurantFactory

    restaurant = RestaurantFactory()
    for _ in range(size):
        grow(restaurant, products=5)

    # 8 for the menus, products and options, 1 for the weekly hours the menus carry (Uber Eats)
    with django_assert_num_queries(9):
        catalog = build_canonical_catalog(restaurant)

    assert len(catalog.products) == 5 * size and len(catalog.menus) == size
