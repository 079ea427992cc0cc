"""Glovo orders arrive as Glovo means them (issue 13; docs/channels/glovo.md §4 numbers each finding).

Each test reads a fixture of the conformance corpus (``integrations/channels/glovo/corpus/``, written from
Glovo's OpenAPI spec, 3P copy) through the module's webhook parser, or builds a request with its client.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from pydantic import SecretStr
from requests.structures import CaseInsensitiveDict

from canonical import (
    CancelledBy,
    CanonicalCatalog,
    CatalogProduct,
    InboundEventKind,
    OrderRef,
    OrderStatus,
    PaymentMethod,
    PublishState,
    ServiceType,
    StatusUpdate,
)
from integrations.channels.context import ConnectionInfo
from integrations.channels.glovo.module import GlovoCredentials, Module
from integrations.channels.recording import CannedResponse, RecordingTransport

from . import samples as s

CORPUS = Path(__file__).resolve().parents[3] / "integrations" / "channels" / "glovo" / "corpus"


def connection(timezone: str = "Europe/Madrid") -> ConnectionInfo:
    return ConnectionInfo(
        connection_id=2, store_id="sinqro-bcn-001", environment="production", base_url="", timezone=timezone,
        credentials=GlovoCredentials(api_token=SecretStr(s.API_TOKEN), webhook_token=SecretStr(s.WEBHOOK_TOKEN)),
    )


def payload(name: str) -> dict:
    return json.loads((CORPUS / f"{name}.json").read_text())["payload"]


def events(data: dict, timezone: str = "Europe/Madrid"):
    return Module().parse_webhook(connection(timezone), json.dumps(data).encode(), CaseInsensitiveDict(s.headers()))


def order_of(name: str, **changes):
    data = {**payload(name), **changes}
    [event] = events(data)
    assert event.kind == InboundEventKind.NEW_ORDER
    return event.order


def cancellation_of(name: str):
    [event] = events(payload(name))
    return event


def money(value: str) -> Decimal:
    return Decimal(value)


# --- the defects the issue lists --------------------------------------------------------------------------


def test_the_pickup_code_is_stored_so_staff_can_check_the_code_a_courier_gives():
    order = order_of("order_glovo_courier")

    assert order.pickup_code == "417"


def test_the_pickup_code_a_customer_gives_is_stored_on_a_customer_pickup():
    order = order_of("order_customer_pickup")

    assert order.pickup_code == "238"


def test_a_customer_pickup_keeps_the_time_the_customer_comes():
    order = order_of("order_customer_pickup")  # estimated_pickup_time 12:30 local, offset "60"

    assert order.service_type == ServiceType.COLLECTION
    assert order.estimates.pickup_at == datetime(2026, 1, 16, 11, 30, tzinfo=UTC)


def test_the_cutlery_request_is_kept_and_an_unsent_one_stays_unknown():
    asked = order_of("order_cutlery_allergy")
    not_asked = order_of("order_glovo_courier")
    not_said = order_of("order_minimal_no_vat")

    assert asked.cutlery_requested is True
    assert not_asked.cutlery_requested is False
    assert not_said.cutlery_requested is None


def test_a_cancellation_says_why_and_that_the_customer_cancelled():
    event = cancellation_of("order_cancelled_by_customer")

    assert event.status == OrderStatus.CANCELLED
    assert event.cancellation.reason_code == "USER_ERROR"
    assert event.cancellation.by == CancelledBy.CUSTOMER
    assert event.cancellation.reason  # the documented meaning in words


def test_a_cancellation_for_missing_products_does_not_guess_who_cancelled():
    event = cancellation_of("order_cancelled_products_not_available")

    assert event.cancellation.reason_code == "PRODUCTS_NOT_AVAILABLE"
    assert event.cancellation.by == CancelledBy.UNKNOWN


def test_a_cancellation_says_whether_glovo_still_pays_for_the_products():
    paid = cancellation_of("order_cancelled_by_customer").cancellation
    unpaid = cancellation_of("order_cancelled_products_not_available").cancellation

    assert (paid.payment_strategy, paid.products_paid) == ("PAY_PRODUCTS", True)
    assert (unpaid.payment_strategy, unpaid.products_paid) == ("PAY_NOTHING", False)


def test_the_customers_loyalty_card_is_kept():
    order = order_of("order_marketplace_delivery_prepaid")

    assert order.loyalty_code == "SQ-LOYAL-5521"


def test_an_order_without_vat_has_its_vat_unknown_not_zero():
    order = order_of("order_minimal_no_vat")

    assert order.amounts.vat is None
    assert order.amounts.prices_include_vat is None
    assert all(line.vat_rate is None for line in order.lines)


# --- the other findings of docs/channels/glovo.md §4 -------------------------------------------------------


def test_allergies_are_kept_apart_from_the_special_requirements():
    order = order_of("order_cutlery_allergy")

    assert order.allergy_notes == "Allergic to sesame"
    assert order.notes == "Please no plastic bags"


def test_an_own_delivery_order_totals_what_glovo_says_the_customer_pays_with_surcharge_and_service_fee():
    order = order_of("order_marketplace_delivery_cash")

    assert order.amounts.total.amount == money("21.50")  # total_customer_to_pay
    assert order.amounts.delivery_fee.amount == money("2.50")
    assert order.amounts.small_order_surcharge.amount == money("1.00")
    assert order.amounts.service_fee.amount == money("0.99")
    assert order.amounts.discount.amount == money("1.89")
    assert order.unaccounted() == 0


def test_a_glovo_courier_order_totals_the_products_after_partner_discounts_and_invents_no_fee():
    order = order_of("order_glovo_courier")

    assert order.amounts.total.amount == money("29.60")  # partner_discounted_products_total
    assert order.amounts.delivery_fee is None and order.amounts.service_fee is None
    assert order.unaccounted() == 0


def test_an_order_without_order_time_or_offset_is_taken_not_refused():
    order = order_of("order_minimal_no_vat")

    assert order.placed_at.tzinfo is not None
    assert order.estimates.pickup_at is None


def test_local_times_without_an_offset_are_read_in_the_restaurants_time_zone():
    data = {**payload("order_glovo_courier"), "utc_offset_minutes": None}

    [event] = events(data, timezone="Europe/Madrid")  # 16 January: UTC+1

    assert event.order.placed_at == datetime(2026, 1, 16, 19, 14, 5, tzinfo=UTC)


def test_a_positive_offset_is_how_far_the_store_is_ahead_of_utc():
    order = order_of("order_glovo_courier", utc_offset_minutes="-300", order_time="2026-01-16 14:14:05")

    assert order.placed_at == datetime(2026, 1, 16, 19, 14, 5, tzinfo=UTC)


def test_a_late_pickup_is_not_called_scheduled_by_a_rule_of_ours():
    order = order_of("order_scheduled")  # ordered 11:02 local, pickup 21:00 local

    assert order.scheduled_for is None and not order.is_scheduled
    assert order.estimates.pickup_at == datetime(2026, 1, 16, 20, 0, tzinfo=UTC)


def test_the_customer_phone_glovo_hides_as_n_a_is_no_phone_number():
    order = order_of("order_glovo_courier")

    assert order.customer.phone == ""


def test_cash_on_a_glovo_courier_order_means_the_courier_pays_and_no_amount_is_invented():
    order = order_of("order_cutlery_allergy")
    [payment] = order.payments

    assert payment.channel_method == "CASH"
    assert payment.method == PaymentMethod.CASH and payment.prepaid is False
    assert payment.cash_to_collect is None


def test_cash_on_an_own_delivery_order_collects_the_customers_total_and_keeps_the_cash_tendered():
    [payment] = order_of("order_marketplace_delivery_cash").payments

    assert payment.cash_to_collect.amount == money("21.50")
    assert payment.cash_tendered.amount == money("50.00")


def test_a_delayed_payment_is_settled_by_glovos_invoice_so_nothing_is_collected():
    [payment] = order_of("order_glovo_courier").payments

    assert payment.channel_method == "DELAYED" and payment.prepaid is True
    assert payment.cash_to_collect is None


def test_the_line_id_needed_to_modify_the_order_is_kept():
    order = order_of("order_glovo_courier")

    assert [line.channel_line_id for line in order.lines] == ["PP-301-1", "PP-301-2"]


def test_a_status_is_sent_with_put_as_glovo_documents():
    transport = RecordingTransport(respond=lambda request: CannedResponse(204, b""))
    client = Module().client(connection(), transport)

    client.set_order_status(OrderRef(channel_order_id="100200301", service_type=ServiceType.DELIVERY),
                            StatusUpdate(status=OrderStatus.ACCEPTED))

    [request] = transport.channel_requests()
    assert request.method == "PUT"
    assert request.url == "https://api.glovoapp.com/webhook/stores/sinqro-bcn-001/orders/100200301/status"


def test_a_documented_menu_failure_fails_the_publish_with_its_meaning():
    transport = RecordingTransport(respond=lambda request: CannedResponse(
        200, {"transaction_id": "tx-1", "status": "LIMIT_EXCEEDED", "details": [], "last_updated_at": None}))
    client = Module().client(connection(), transport)

    result = client.get_publish_result("tx-1")

    assert result.state == PublishState.FAILED
    assert result.errors == ("LIMIT_EXCEEDED: more than 5 menu uploads today for this store",)


def test_orders_one_courier_delivers_together_are_linked():
    bundled = order_of("order_glovo_courier")
    marketplace = order_of("order_marketplace_delivery_cash")  # "for marketplace orders this will be set to null"
    alone = order_of("order_scheduled")

    assert bundled.bundled_with == ("100200299",)
    assert marketplace.bundled_with == () and alone.bundled_with == ()


def test_the_customers_glovo_id_is_kept():
    order = order_of("order_glovo_courier")

    assert order.customer.channel_customer_id == "6f1d2c3b-4a59-4687-9a1b-2c3d4e5f6a71"


def test_the_company_to_invoice_is_kept_and_no_invoice_asked_is_none():
    invoiced = order_of("order_marketplace_delivery_prepaid")
    plain = order_of("order_glovo_courier")

    assert invoiced.customer.invoicing is not None
    assert (invoiced.customer.invoicing.company_name, invoiced.customer.invoicing.tax_id,
            invoiced.customer.invoicing.address) == (
        "Acme Catering SL", "B12345678", "Carrer de Mallorca 100, 08036 Barcelona")
    assert plain.customer.invoicing is None


def test_the_menu_upload_sends_only_the_url_of_the_menu_file_the_platform_hosts():
    transport = RecordingTransport(respond=lambda request: CannedResponse(200, {"transaction_id": "tx-1"}))
    client = Module().client(connection(), transport)

    started = client.publish_catalog(CanonicalCatalog(currency="EUR", products=(
        CatalogProduct(sku="pizza-margherita", name="Margherita pizza", price=Decimal("14.00")),)))

    [upload] = transport.channel_requests()
    [(url, hosted)] = transport.documents.documents.items()
    assert (upload.method, upload.path) == ("POST", "/webhook/stores/sinqro-bcn-001/menu")
    assert upload.json() == {"menu_url": url}  # StoreIdMenuBody.md: a URL Glovo downloads, not the menu
    assert hosted.content_type == "application/json" and hosted.bearer_token is None
    assert json.loads(hosted.content)["products"][0]["id"] == "pizza-margherita"
    assert started.state == PublishState.PROCESSING and started.transaction_id == "tx-1"


def test_a_configured_download_token_is_required_on_the_menu_file():
    transport = RecordingTransport(respond=lambda request: CannedResponse(200, {"transaction_id": "tx-1"}))
    info = dataclasses.replace(connection(), credentials=GlovoCredentials(
        api_token=SecretStr(s.API_TOKEN), webhook_token=SecretStr(s.WEBHOOK_TOKEN),
        menu_download_token=SecretStr("menu-secret-0001")))

    Module().client(info, transport).publish_catalog(CanonicalCatalog(currency="EUR"))

    [hosted] = transport.documents.documents.values()
    assert hosted.bearer_token == "menu-secret-0001"
