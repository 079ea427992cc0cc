"""The Glovo module against the Glovo simulator running as its own process, over real HTTP."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from requests.structures import CaseInsensitiveDict

from canonical import (
    CanonicalCatalog,
    CatalogMenu,
    CatalogOption,
    CatalogOptionCategory,
    CatalogProduct,
    CatalogSection,
    ItemKind,
    ItemUpdate,
    OrderRef,
    OrderStatus,
    PauseRequest,
    PublishState,
    ServiceType,
    StatusUpdate,
)
from integrations.channels.registry import get_module
from integrations.connections import client_for, connection_info
from integrations.http import PermanentChannelError, RetryableChannelError
from tests.factories.integrations import ChannelFactory, ConnectionFactory

pytestmark = pytest.mark.django_db
STORE = "glovo-store-1"
API_TOKEN = "glovo_live_API_token_0001"
WEBHOOK_TOKEN = "glovo_live_WEBHOOK_token_0001"


@pytest.fixture
def connection(glovo, inbox):
    glovo.control("POST", "/_control/stores", {"store_id": STORE, "api_token": API_TOKEN, "webhook_url": inbox.url,
                                               "webhook_token": WEBHOOK_TOKEN, "utc_offset_minutes": 60})
    channel = ChannelFactory(module="glovo", sandbox_base_url=glovo.url)
    return ConnectionFactory(channel=channel, store_id=STORE,
                             credentials={"api_token": API_TOKEN, "webhook_token": WEBHOOK_TOKEN})


@pytest.fixture
def platform(live_server, settings):
    """Our platform over real HTTP at SINQRO_PUBLIC_URL, so that Glovo can download the menu file we host."""
    settings.SINQRO_PUBLIC_URL = live_server.url
    return live_server


def poll(client, transaction_id: str):
    result = client.get_publish_result(transaction_id)
    while result.state == PublishState.PROCESSING:
        result = client.get_publish_result(transaction_id)
    return result


def catalog(price: str = "11.50") -> CanonicalCatalog:
    return CanonicalCatalog(
        currency="EUR",
        menus=(CatalogMenu(ref="carta", name="Carta", sections=(
            CatalogSection(ref="pizzas", name="Pizzas", product_skus=("PIZ-MARG",)),)),),
        products=(CatalogProduct(sku="PIZ-MARG", name="Margherita", price=Decimal(price),
                                 option_category_refs=("extras",)),),
        option_categories=(CatalogOptionCategory(ref="extras", name="Extras", max_selections=2, options=(
            CatalogOption(sku="OPT-CHEESE", name="Extra cheese", price=Decimal("1.50")),)),),
    )


def receive(connection, inbox, count: int = 1):
    module, info = get_module("glovo"), connection_info(connection)
    body, headers = inbox.wait(count)[count - 1]
    module.verify_webhook(info, body, CaseInsensitiveDict(headers), datetime.now(UTC))
    return module.parse_webhook(info, body, CaseInsensitiveDict(headers))


def test_cents_and_local_times_with_offsets_arrive_as_decimals_and_utc_instants(glovo, connection, inbox):
    sent = glovo.control("POST", "/_control/orders", {"store_id": STORE, "utc_offset_minutes": -300,
                                                      "fixture": "order_glovo_courier"})

    [event] = receive(connection, inbox)

    order = event.order
    local = datetime.strptime(sent["order_time"], "%Y-%m-%d %H:%M:%S")
    assert order.placed_at == (local + timedelta(hours=5)).replace(tzinfo=UTC)
    assert abs(order.placed_at - datetime.now(UTC)) < timedelta(minutes=1)
    assert order.lines[0].unit_price.amount == Decimal("10.50")
    assert order.lines[0].options[0].unit_price.amount == Decimal("1.50")
    assert order.lines_total() == Decimal("29.60")  # = estimated_total_price, 2960 cents
    assert event.channel_order_id == sent["order_id"] and order.display_code == sent["order_code"]


def test_a_cancellation_notification_is_a_status_change(glovo, connection, inbox):
    order_id = glovo.control("POST", "/_control/orders", {"store_id": STORE})["order_id"]
    glovo.control("POST", f"/_control/orders/{order_id}/cancel", {"cancel_reason": "USER_ERROR"})

    # The order's and the cancellation's deliveries go out apart: either may land first.
    module, info = get_module("glovo"), connection_info(connection)
    [(body, headers)] = [(body, headers) for body, headers in inbox.wait(2) if b"cancel_reason" in body]
    module.verify_webhook(info, body, CaseInsensitiveDict(headers), datetime.now(UTC))
    [event] = module.parse_webhook(info, body, CaseInsensitiveDict(headers))

    assert event.status == OrderStatus.CANCELLED and event.channel_order_id == order_id


def test_statuses_are_patched_in_glovos_vocabulary(glovo, connection):
    delivery = glovo.control("POST", "/_control/orders", {"store_id": STORE})["order_id"]
    pickup = glovo.control("POST", "/_control/orders", {"store_id": STORE, "fixture": "order_customer_pickup"})
    client = client_for(connection)

    for status in (OrderStatus.ACCEPTED, OrderStatus.READY, OrderStatus.PICKED_UP):
        client.set_order_status(OrderRef(channel_order_id=delivery, service_type=ServiceType.DELIVERY),
                                StatusUpdate(status=status))
    client.set_order_status(OrderRef(channel_order_id=pickup["order_id"], service_type=ServiceType.COLLECTION),
                            StatusUpdate(status=OrderStatus.PICKED_UP))

    assert [e["payload"]["status"] for e in glovo.log("status")] == [
        "ACCEPTED", "READY_FOR_PICKUP", "OUT_FOR_DELIVERY", "PICKED_UP_BY_CUSTOMER"]


@pytest.mark.django_db(transaction=True)
def test_a_menu_upload_polls_its_transaction_to_completion_then_patches_a_product(glovo, connection, platform):
    client = client_for(connection)

    started = client.publish_catalog(catalog())
    polls = [client.get_publish_result(started.transaction_id)]
    while polls[-1].state == PublishState.PROCESSING:
        polls.append(client.get_publish_result(started.transaction_id))
    client.update_catalog_items([ItemUpdate(kind=ItemKind.PRODUCT, sku="PIZ-MARG", price=Decimal("12.00")),
                                 ItemUpdate(kind=ItemKind.OPTION, sku="OPT-CHEESE", available=False)])

    assert started.state == PublishState.PROCESSING and started.transaction_id
    assert [p.state for p in polls] == [PublishState.PROCESSING, PublishState.DONE]
    menu = glovo.control("GET", f"/_control/stores/{STORE}")["menu"]
    assert menu["products"][0]["price"] == 12.0
    assert menu["attributes"][0] == {"id": "OPT-CHEESE", "name": "Extra cheese", "price_impact": 1.5,
                                     "available": False}


@pytest.mark.django_db(transaction=True)
def test_a_rejected_upload_carries_glovos_error_text(glovo, connection, platform):
    glovo.control("POST", "/_control/menu/fail-next", {"details": ["Product PIZ-MARG: image_url is not reachable"]})
    client = client_for(connection)
    transaction = client.publish_catalog(catalog()).transaction_id

    result = client.get_publish_result(transaction)
    while result.state == PublishState.PROCESSING:
        result = client.get_publish_result(transaction)

    assert result.state == PublishState.FAILED
    assert result.errors == ("Product PIZ-MARG: image_url is not reachable",)


@pytest.mark.django_db(transaction=True)
def test_product_patches_beyond_120_a_minute_are_retryable_with_retry_after(glovo, connection, platform):
    client = client_for(connection)
    started = client.publish_catalog(catalog())
    while client.get_publish_result(started.transaction_id).state == PublishState.PROCESSING:
        pass
    updates = [ItemUpdate(kind=ItemKind.PRODUCT, sku="PIZ-MARG", available=bool(n % 2)) for n in range(120)]
    client.update_catalog_items(updates)

    with pytest.raises(RetryableChannelError) as limited:
        client.update_catalog_items(updates[:1])

    assert limited.value.status_code == 429 and limited.value.retry_after


@pytest.mark.django_db(transaction=True)
def test_glovo_is_sent_a_menu_url_and_downloads_the_menu_from_our_platform(glovo, connection, platform):
    client = client_for(connection)

    result = poll(client, client.publish_catalog(catalog()).transaction_id)

    [upload] = glovo.log("menu_upload")
    assert set(upload["payload"]) == {"menu_url"}  # StoreIdMenuBody.md: the body is the URL, not the menu
    assert upload["payload"]["menu_url"].startswith(f"{platform.url}/channel-files/")
    [download] = glovo.log("menu_download")
    assert download["payload"]["url"] == upload["payload"]["menu_url"]
    assert (download["payload"]["status"], download["payload"]["content_type"]) == (200, "application/json")
    assert [product["id"] for product in download["payload"]["menu"]["products"]] == ["PIZ-MARG"]
    assert result.state == PublishState.DONE
    assert glovo.control("GET", f"/_control/stores/{STORE}")["menu"]["products"][0]["price"] == 11.5


@pytest.mark.django_db(transaction=True)
def test_a_configured_download_token_is_what_glovo_must_present_as_bearer(glovo, connection, platform):
    connection.credentials = {**connection.credentials, "menu_download_token": "menu-secret-0001"}
    connection.save()
    glovo.control("POST", "/_control/stores", {"store_id": STORE, "api_token": API_TOKEN,
                                               "menu_token": "not-the-menu-secret"})
    client = client_for(connection)

    refused = poll(client, client.publish_catalog(catalog()).transaction_id)
    glovo.control("POST", "/_control/stores", {"store_id": STORE, "api_token": API_TOKEN,
                                               "menu_token": "menu-secret-0001"})
    accepted = poll(client, client.publish_catalog(catalog()).transaction_id)

    assert refused.state == PublishState.FAILED
    assert refused.errors == ("FETCH_MENU_UNAUTHORIZED: Glovo was refused the menu file (authorization)",)
    assert [d["payload"]["status"] for d in glovo.log("menu_download")] == [401, 200]
    assert glovo.log("menu_download")[1]["payload"]["authorization"] == "Bearer menu-secret-0001"
    assert accepted.state == PublishState.DONE


@pytest.mark.django_db(transaction=True)
def test_a_sixth_upload_in_a_day_is_refused_by_glovo(glovo, connection, platform):
    client = client_for(connection)
    for _ in range(5):
        client.publish_catalog(catalog())

    with pytest.raises(RetryableChannelError) as limited:
        client.publish_catalog(catalog())

    assert limited.value.status_code == 429 and len(glovo.log("menu_download")) == 5


def test_temporary_closing_needs_an_end_and_reopens(glovo, connection):
    client = client_for(connection)
    until = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=1)

    with pytest.raises(PermanentChannelError, match="until"):
        client.pause(PauseRequest(until=None))
    client.pause(PauseRequest(until=until, reason="busy"))
    closed = glovo.control("GET", f"/_control/stores/{STORE}")["closed_until"]
    client.resume()

    assert closed == until.isoformat().replace("+00:00", "Z")
    assert glovo.control("GET", f"/_control/stores/{STORE}")["closed_until"] is None


def test_a_wrong_token_is_a_permanent_401(glovo, connection):
    connection.credentials = {"api_token": "wrong-token-1234", "webhook_token": WEBHOOK_TOKEN}
    connection.save()

    with pytest.raises(PermanentChannelError) as failure:
        client_for(connection).resume()

    assert failure.value.status_code == 401
