"""The Deliveroo module runs the contract kit on its corpus (Deliveroo's documented shapes, our own values)."""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import SecretStr

from canonical import (
    Availability,
    CalendarException,
    InboundEventKind,
    ItemKind,
    ItemUpdate,
    OrderRef,
    OrderStatus,
    PauseRequest,
    RefusalReason,
    ServiceType,
    StatusUpdate,
    WeeklyRange,
)
from integrations.channels.context import ConnectionInfo
from integrations.channels.corpus import CorpusCase, corpus_directory, load_corpus
from integrations.channels.deliveroo.module import DeliverooCredentials, Module
from integrations.channels.testkit import ChannelModuleContract, WebhookSample

CORPUS_SECRET = "sinqro-corpus-deliveroo-webhook-secret"
"""The test webhook secret the corpus' webhooks are signed with."""
SITE, BRAND = "sinqro-site-4163", "sinqro-brand-1"
ORDER_1001 = OrderRef(channel_order_id="gb:3a1f6c2e-7b4d-4e8a-9c10-5d2e8f4a1001", service_type=ServiceType.DELIVERY)
ORDER_1005 = OrderRef(channel_order_id="gb:3a1f6c2e-7b4d-4e8a-9c10-5d2e8f4a1005", service_type=ServiceType.DELIVERY,
                      scheduled=True)


def corpus_case(name: str) -> CorpusCase:
    return next(case for case in load_corpus(corpus_directory(Module)) if case.name == name)


def credentials(secret: str = CORPUS_SECRET, **extra: object) -> DeliverooCredentials:
    return DeliverooCredentials(client_id="sinqro-corpus-client", client_secret=SecretStr("api-secret"),
                                webhook_secret=SecretStr(secret), brand_id=BRAND, **extra)


def corpus_connection() -> ConnectionInfo:
    return ConnectionInfo(connection_id=1, store_id=SITE, environment="production", base_url="", currency="GBP",
                          timezone="Europe/London", credentials=credentials())


def sample(name: str, kinds: tuple[InboundEventKind, ...], **expected: object) -> WebhookSample:
    case = corpus_case(name)
    return WebhookSample(name, case.body, case.headers, kinds, expected)


def with_headers(case: CorpusCase, **changes: str | None) -> dict[str, str]:
    headers = dict(case.headers)
    for name, value in changes.items():
        key = name.replace("_", "-")
        if value is None:
            headers.pop(key, None)
        else:
            headers[key] = value
    return headers


class TestDeliverooContract(ChannelModuleContract):
    module_class = Module
    sample_fields_checked = True  # the samples are the corpus' documented shapes
    outbound_without_example = {
        "publish_catalog": "the menu upload's top level (name, menu, site_ids) is known only from a 3P page and the "
                           "menu object's own fields are not in the stored copies (deliveroo.md §4): no documented "
                           "request to follow",
    }
    valid_credentials = {"client_id": "sinqro-client", "client_secret": "api-secret-value",
                         "webhook_secret": "webhook-secret-value", "brand_id": "sinqro-brand"}
    invalid_credentials = [
        {"client_id": "c", "client_secret": "s", "brand_id": "b"},  # no webhook secret
        {"client_id": "c", "client_secret": "s", "webhook_secret": "w"},  # no brand
        {"client_id": "c", "client_secret": "s", "webhook_secret": "w", "brand_id": "b", "api_key": "x"},
    ]

    def connection(self) -> ConnectionInfo:
        return corpus_connection()

    def corpus_connection(self) -> ConnectionInfo:
        return corpus_connection()

    def corpus_now(self, case: CorpusCase) -> datetime:
        return datetime(2026, 6, 1, tzinfo=UTC)  # no signed timestamp: any instant verifies

    def now(self) -> datetime:
        return datetime(2026, 6, 1, tzinfo=UTC)

    def outbound_calls(self):
        london_christmas = CalendarException(starts_at=datetime(2026, 12, 25, 0, 0, tzinfo=UTC),
                                             expires_at=datetime(2026, 12, 26, 0, 0, tzinfo=UTC), reason="Christmas")
        hours = Availability(timezone="Europe/London", exceptions=(london_christmas,), weekly=(
            WeeklyRange(start_day=0, end_day=1, start_time="12:00", end_time="15:00"),
            WeeklyRange(start_day=0, end_day=1, start_time="19:00", end_time="23:00"),
            WeeklyRange(start_day=4, end_day=4, start_time="19:00", end_time="01:30"),
        ))
        return {
            "request_accept_order": lambda client: client.set_order_status(
                ORDER_1001, StatusUpdate(status=OrderStatus.ACCEPTED, prep_minutes=20)),
            "request_reject_order": lambda client: client.set_order_status(ORDER_1001, StatusUpdate(
                status=OrderStatus.REJECTED, reason="Out of chicken", reason_code=RefusalReason.ITEMS_UNAVAILABLE)),
            "request_confirm_scheduled_order": lambda client: client.set_order_status(
                ORDER_1005, StatusUpdate(status=OrderStatus.PREPARING)),
            "request_prep_stage_ready": lambda client: client.set_order_status(ORDER_1001, StatusUpdate(
                status=OrderStatus.READY, occurred_at=datetime(2026, 3, 7, 16, 33, tzinfo=UTC))),
            "request_site_closed": lambda client: client.pause(PauseRequest(reason="Kitchen fire drill")),
            "request_site_open": lambda client: client.resume(),
            # The hours go first, then each closed exception as a day off: the last request is the day off.
            "request_opening_hours": lambda client: client.set_opening_hours(hours.model_copy(
                update={"exceptions": ()})),
            "request_day_off": lambda client: client.set_opening_hours(hours),
            "request_item_unavailable": lambda client: client.update_catalog_items(
                [ItemUpdate(kind=ItemKind.PRODUCT, sku="SID-FRY", available=False)]),
        }

    def webhook_samples(self) -> list[WebhookSample]:
        return [
            sample("webhook_order_new_deliveroo_rider", (InboundEventKind.NEW_ORDER,)),
            sample("webhook_order_new_customer_pickup", (InboundEventKind.NEW_ORDER,)),
            sample("webhook_order_new_restaurant_courier", (InboundEventKind.NEW_ORDER,)),
            sample("webhook_order_new_table_service", (InboundEventKind.NEW_ORDER,)),
            sample("webhook_order_new_scheduled", (InboundEventKind.NEW_ORDER,)),
            sample("webhook_order_status_update_confirmed",
                   (InboundEventKind.STATUS_CHANGED, InboundEventKind.NEW_ORDER), status=OrderStatus.PREPARING,
                   channel_status="confirmed"),
            sample("webhook_order_status_update_canceled",
                   (InboundEventKind.STATUS_CHANGED, InboundEventKind.NEW_ORDER), status=OrderStatus.CANCELLED),
            sample("webhook_rider_assigned", (InboundEventKind.COURIER_UPDATE,)),
            sample("webhook_rider_in_transit", (InboundEventKind.COURIER_UPDATE,)),
            sample("webhook_menu_upload_succeeded", (InboundEventKind.PUBLISH_RESULT,)),
            sample("webhook_menu_upload_failed", (InboundEventKind.PUBLISH_RESULT,)),
        ]

    def forged_webhooks(self) -> list[WebhookSample]:
        case = corpus_case("webhook_order_new_deliveroo_rider")
        other = corpus_case("webhook_order_new_customer_pickup")
        return [
            WebhookSample("signed with another secret", case.body, with_headers(
                case, X_Deliveroo_Hmac_Sha256="67c328961d4922b8ce0f791f3fd732c205defdb4cd689a827957ba3e19599b65")),
            WebhookSample("no signature", case.body, with_headers(case, X_Deliveroo_Hmac_Sha256=None)),
            WebhookSample("no sequence GUID", case.body, with_headers(case, X_Deliveroo_Sequence_Guid=None)),
            WebhookSample("another event's GUID", case.body, with_headers(
                case, X_Deliveroo_Sequence_Guid=other.headers["X-Deliveroo-Sequence-Guid"])),
            WebhookSample("another event's signature", case.body, with_headers(
                case, X_Deliveroo_Hmac_Sha256=other.headers["X-Deliveroo-Hmac-Sha256"])),
        ]

    def malformed_webhooks(self) -> list[WebhookSample]:
        from .signing import signed

        return [
            signed("not json", b"not json"),
            signed("no body", b'{"event":"order.new"}'),
            signed("an order without its id", b'{"event":"order.new","body":{"order":{"fulfillment_type":'
                                              b'"deliveroo","total_price":{"fractional":1,"currency_code":"GBP"},'
                                              b'"status_log":[{"at":"2026-03-07T16:12:13Z","status":"placed"}]}}}'),
            signed("an undocumented fulfilment", corpus_case("webhook_order_new_customer_pickup").body.replace(
                b'"fulfillment_type":"customer"', b'"fulfillment_type":"drone"')),
            signed("an order without status_log", b'{"event":"order.new","body":{"order":{"id":"gb:x",'
                                                  b'"fulfillment_type":"customer","total_price":{"fractional":1,'
                                                  b'"currency_code":"GBP"},"items":[]}}}'),
            signed("a rider event without rider statuses", b'{"event":"rider.status_update","body":'
                                                           b'{"order_id":"gb:x","riders":[]}}'),
            signed("a rider event without its order", b'{"event":"rider.status_update","body":{"riders":[]}}'),
        ]
