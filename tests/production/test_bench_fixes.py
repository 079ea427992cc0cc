"""The fixes benches 3 and 5 led to: the catalog is built, translated and diffed in linear time, and the
admin lists and the status page read no payloads and make no query per connection."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection as db
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from canonical import CanonicalCatalog
from catalog.export import build_canonical_catalog
from integrations.channels.sandbox_market.translate import catalog_to_menu
from integrations.models import ChannelCall, SyncJob
from integrations.outbound import catalog_diff
from integrations.outbound.services.catalog import LANE
from restaurants.models import RestaurantMember
from tests.factories.catalog import (
    MenuFactory,
    OptionCategoryFactory,
    OptionFactory,
    ProductFactory,
    ProductOptionCategoryFactory,
    SectionFactory,
    SectionItemFactory,
    VariantFactory,
)
from tests.factories.integrations import ChannelCallFactory, ConnectionFactory
from tests.factories.restaurants import RestaurantFactory, UserFactory

pytestmark = pytest.mark.django_db


def shuffled_catalog():
    """Positions that disagree with creation order, a snoozed product and option, an inactive menu."""
    restaurant = RestaurantFactory()
    menu = MenuFactory(restaurant=restaurant, name="Carta", position=2)
    MenuFactory(restaurant=restaurant, name="Old", active=False)
    first_menu = MenuFactory(restaurant=restaurant, name="Brunch", position=1)
    late, early = SectionFactory(menu=menu, position=5), SectionFactory(menu=menu, position=1)
    pizza = ProductFactory(restaurant=restaurant, sku="PIZ", position=2)
    beer = ProductFactory(
        restaurant=restaurant, sku="BEER", position=1, snoozed_until=timezone.now() + timedelta(hours=1)
    )
    SectionItemFactory(section=late, product=pizza, position=2)
    SectionItemFactory(section=late, product=beer, position=1)
    SectionItemFactory(section=early, product=pizza)
    SectionItemFactory(section=SectionFactory(menu=first_menu), product=beer)
    VariantFactory(product=pizza, sku="PIZ-L", position=2)
    VariantFactory(product=pizza, sku="PIZ-M", position=1, available=False)
    sauces = OptionCategoryFactory(restaurant=restaurant, ref="sauces", position=2)
    extras = OptionCategoryFactory(restaurant=restaurant, ref="extras", position=1)
    ProductOptionCategoryFactory(product=pizza, category=sauces, position=2)
    ProductOptionCategoryFactory(product=pizza, category=extras, position=1)
    OptionFactory(category=extras, sku="OPT-B", position=2, snoozed_until=timezone.now() + timedelta(hours=1))
    OptionFactory(category=extras, sku="OPT-A", position=1, price=Decimal("0.75"))
    return restaurant, (menu, first_menu, late, early)


def test_the_catalog_keeps_every_order_and_availability(django_assert_num_queries):
    restaurant, (menu, first_menu, late, early) = shuffled_catalog()

    with django_assert_num_queries(9):  # the ninth: the weekly hours the menus carry
        catalog = build_canonical_catalog(restaurant)

    assert [m.ref for m in catalog.menus] == [f"menu-{first_menu.pk}", f"menu-{menu.pk}"]
    carta = catalog.menus[1]
    assert [s.ref for s in carta.sections] == [f"section-{early.pk}", f"section-{late.pk}"]
    assert carta.sections[1].product_skus == ("BEER", "PIZ")
    assert [p.sku for p in catalog.products] == ["BEER", "PIZ"]
    beer, pizza = catalog.products
    assert beer.available is False and pizza.available is True
    assert [(v.sku, v.available) for v in pizza.variants] == [("PIZ-M", False), ("PIZ-L", True)]
    assert pizza.option_category_refs == ("extras", "sauces")
    extras = catalog.option_category("extras")
    assert [(o.sku, o.available, o.price) for o in extras.options] == [
        ("OPT-A", True, Decimal("0.75")),
        ("OPT-B", False, Decimal("1.50")),
    ]


def test_the_menu_translation_never_searches_the_catalog_item_by_item(monkeypatch):
    restaurant, _ = shuffled_catalog()
    catalog = build_canonical_catalog(restaurant)
    expected_group = catalog.option_category("extras")

    def linear_search(*args):
        raise AssertionError("a linear search per section item made 5,000 products take seconds")

    monkeypatch.setattr(CanonicalCatalog, "product", linear_search)
    monkeypatch.setattr(CanonicalCatalog, "option_category", linear_search)
    menu = catalog_to_menu(catalog)

    items = {item["plu"]: item for m in menu["menus"] for s in m["sections"] for item in s["items"]}
    assert [g["ref"] for g in items["PIZ"]["extra_groups"]] == ["extras", "sauces"]
    assert [e["plu"] for e in items["PIZ"]["extra_groups"][0]["extras"]] == [o.sku for o in expected_group.options]
    assert items["PIZ"]["extra_groups"][0]["extras"][0]["price_cents"] == 75


def test_fingerprints_are_the_digests_of_each_entity_as_before():
    restaurant, _ = shuffled_catalog()
    catalog = build_canonical_catalog(restaurant)

    def digest(value):
        text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def reference(data):
        structure = {k: v for k, v in data.items() if k not in catalog_diff.PATCHABLE}
        return digest(structure) + "".join(digest(data.get(name)) for name in catalog_diff.PATCHABLE)

    pizza = catalog.products[1]
    data = pizza.model_dump(mode="json", exclude={"variants"})
    data["variant_skus"] = [v.sku for v in pizza.variants]
    found = catalog_diff.entities(catalog)
    assert found[("product", "PIZ")].fingerprint == reference(data)
    variant = {**pizza.variants[0].model_dump(mode="json"), "product_sku": "PIZ"}
    assert found[("variant", "PIZ-M")].fingerprint == reference(variant)
    # The remembered digests of names, prices and flags keep True and 1 apart.
    assert catalog_diff._field_digest(True) != catalog_diff._field_digest(1)
    assert catalog_diff._field_digest(True) == digest(True) and catalog_diff._field_digest(1) == digest(1)


def selected_columns(queries, table: str) -> str:
    return " ".join(q["sql"].split(" FROM ")[0] for q in queries if f'FROM "{table}"' in q["sql"])


def test_the_sync_job_and_call_lists_read_no_payloads_or_bodies(admin_client):
    connection = ConnectionFactory()
    job = SyncJob.objects.create(connection=connection, kind="catalog", payload={"products": ["x" * 1000]})
    ChannelCallFactory(connection=connection, request_body="{}", response_body="{}")

    with CaptureQueriesContext(db) as jobs_list:
        assert admin_client.get("/admin/integrations/syncjob/").status_code == 200
    with CaptureQueriesContext(db) as calls_list:
        assert admin_client.get("/admin/integrations/channelcall/").status_code == 200

    assert '"integrations_syncjob"."target"' in selected_columns(jobs_list, "integrations_syncjob")
    assert '"integrations_syncjob"."payload"' not in selected_columns(jobs_list, "integrations_syncjob")
    calls = selected_columns(calls_list, "integrations_channelcall")
    assert '"integrations_channelcall"."url"' in calls and "_body" not in calls and "_headers" not in calls
    # The change views still show everything.
    assert "xxxxxxxx" in admin_client.get(f"/admin/integrations/syncjob/{job.pk}/change/").content.decode()
    call = ChannelCall.objects.get()
    assert admin_client.get(f"/admin/integrations/channelcall/{call.pk}/change/").status_code == 200


def test_the_webhook_event_list_makes_no_query_per_connection(admin_client):
    ConnectionFactory()
    admin_client.get("/admin/integrations/webhookevent/")
    with CaptureQueriesContext(db) as few:
        admin_client.get("/admin/integrations/webhookevent/")
    for _ in range(10):
        ConnectionFactory()
    with CaptureQueriesContext(db) as many:
        response = admin_client.get("/admin/integrations/webhookevent/")

    assert len(many) == len(few)
    assert "Casa Pepe" in response.content.decode()  # the connection filter still names each connection


def test_the_status_page_reads_no_payload_and_finds_the_last_publish_in_the_catalog_lane(client):
    user = UserFactory()
    connection = ConnectionFactory()
    RestaurantMember.objects.create(restaurant=connection.restaurant, user=user)
    SyncJob.objects.create(
        connection=connection,
        kind="catalog",
        payload={"big": "x" * 1000},
        ordering_key=LANE,
        coalesce_key=LANE,
        state="failed",
        last_error="HTTP 422: price_cents must be positive",
    )
    client.force_login(user)

    with CaptureQueriesContext(db) as queries:
        page = client.get(f"/restaurants/{connection.restaurant.slug}/").content.decode()

    assert "HTTP 422: price_cents must be positive" in page and "never published" not in page
    card_queries = [
        q["sql"] for q in queries if 'FROM "integrations_syncjob"' in q["sql"] and 'order_id" IN' not in q["sql"]
    ]
    assert card_queries and all('"integrations_syncjob"."payload"' not in sql for sql in card_queries)
    assert any('"integrations_syncjob"."ordering_key" = ' in sql for sql in card_queries)
