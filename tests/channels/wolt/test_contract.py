"""The Wolt module runs the contract kit on its corpus (Wolt's documented shapes) and on signed samples."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import pytest
from pydantic import SecretStr
from requests.structures import CaseInsensitiveDict

from canonical import (
    Availability,
    CourierStage,
    DriverPosition,
    InboundEventKind,
    ItemKind,
    ItemUpdate,
    OrderRef,
    OrderStatus,
    PauseRequest,
    ServiceType,
    StatusUpdate,
    WeeklyRange,
)
from integrations.channels.context import ConnectionInfo
from integrations.channels.corpus import CorpusCase, corpus_directory, load_corpus
from integrations.channels.errors import WebhookRejected
from integrations.channels.recording import CannedResponse
from integrations.channels.testkit import ChannelModuleContract, WebhookSample
from integrations.channels.wolt.module import Module, WoltCredentials

from . import samples as s

CORPUS_SECRET = "sinqro-corpus-wolt-webhook-secret"
"""The test webhook secret the corpus' notifications are signed with (each fixture's ``signature``)."""
CORPUS_VENUE = "9a5c7e3102fe6a000c4b562b"
WOLT_COURIER = OrderRef(channel_order_id="6a1f0c2b9d3e4f5a6b7c8d01", service_type=ServiceType.DELIVERY,
                        display_code="4821")
SELF_DELIVERY = OrderRef(channel_order_id="6a1f0c2b9d3e4f5a6b7c8d02", service_type=ServiceType.DELIVERY,
                         display_code="4822")
PREORDER = OrderRef(channel_order_id="6a1f0c2b9d3e4f5a6b7c8d05", service_type=ServiceType.DELIVERY,
                    display_code="4825")
ORDER_BEHIND = {"request_accept": "get_order_wolt_courier", "request_self_delivery_accept": "get_order_self_delivery",
                "request_confirm_preorder": "get_order_preorder"}
"""Which accept applies is read from the order first: the GET answers with that order."""


def credentials(**extra) -> WoltCredentials:
    return WoltCredentials(client_id=s.CLIENT_ID, client_secret=SecretStr(s.CLIENT_SECRET),
                           refresh_token=SecretStr(s.REFRESH_TOKEN), webhook_secret=SecretStr(s.WEBHOOK_SECRET),
                           **extra)


def connection(**extra) -> ConnectionInfo:
    return ConnectionInfo(connection_id=1, store_id=s.VENUE, environment="sandbox", base_url="http://127.0.0.1:9",
                          credentials=credentials(**extra))


def _case(name: str) -> CorpusCase:
    return next(case for case in load_corpus(corpus_directory(Module)) if case.name == name)


class TestWoltContract(ChannelModuleContract):
    module_class = Module
    sample_fields_checked = True
    outbound_without_example = {
        "publish_catalog": "POST /v1/restaurants/{venueId}/menu is documented (docs/api/menu) only down to the "
                           "categories: the item and option shapes are cut off in the stored copy (wolt.md §3), so "
                           "there is no documented request to follow",
    }
    valid_credentials = {"client_id": s.CLIENT_ID, "client_secret": s.CLIENT_SECRET,
                         "refresh_token": s.REFRESH_TOKEN, "webhook_secret": s.WEBHOOK_SECRET}
    invalid_credentials = [
        {"client_id": s.CLIENT_ID, "client_secret": s.CLIENT_SECRET, "refresh_token": s.REFRESH_TOKEN},
        {"client_id": s.CLIENT_ID, "client_secret": s.CLIENT_SECRET, "webhook_secret": s.WEBHOOK_SECRET},
        {**valid_credentials, "api_key": "x"},
    ]

    def connection(self) -> ConnectionInfo:
        return connection()

    def now(self) -> datetime:
        return s.SENT_AT + timedelta(seconds=3)

    # --- the corpus (integrations/channels/wolt/corpus) ------------------------------------

    def corpus_connection(self) -> ConnectionInfo:
        # The code exchange's access token, valid far beyond the test: no token request in the recorded calls.
        return ConnectionInfo(
            connection_id=1, store_id=CORPUS_VENUE, environment="production", base_url="", currency="EUR",
            credentials=WoltCredentials(
                client_id="sinqro-corpus-client", client_secret=SecretStr("sinqro-corpus-client-secret"),
                refresh_token=SecretStr("sinqro-corpus-refresh-token"),
                access_token=SecretStr("sinqro-corpus-access-token"),
                access_token_expires_at=datetime(2100, 1, 1, tzinfo=UTC),
                webhook_secret=SecretStr(CORPUS_SECRET)),
        )

    def corpus_now(self, case: CorpusCase) -> datetime:
        return datetime.fromisoformat(case.payload["created_at"].replace("Z", "+00:00")) + timedelta(seconds=2)

    def outbound_calls(self):
        def status(order: OrderRef, new: OrderStatus, reason: str = ""):
            return lambda client: client.set_order_status(order, StatusUpdate(status=new, reason=reason))

        weekly = (WeeklyRange(start_day=1, end_day=1, start_time=time(10, 30), end_time=time(17, 30)),
                  WeeklyRange(start_day=2, end_day=2, start_time=time(0), end_time=time(0)),
                  WeeklyRange(start_day=5, end_day=5, start_time=time(10, 15), end_time=time(17, 45)))
        return {
            "request_accept": status(WOLT_COURIER, OrderStatus.ACCEPTED),
            "request_self_delivery_accept": status(SELF_DELIVERY, OrderStatus.ACCEPTED),
            "request_confirm_preorder": status(PREORDER, OrderStatus.ACCEPTED),
            "request_reject": status(WOLT_COURIER, OrderStatus.REJECTED, "Out of burger buns"),
            "request_ready": status(WOLT_COURIER, OrderStatus.READY),
            "request_delivered": status(SELF_DELIVERY, OrderStatus.DELIVERED),
            "request_courier_location": lambda client: client.update_delivery_location(SELF_DELIVERY, DriverPosition(
                lat=Decimal("41.401"), lng=Decimal("2.17"), recorded_at=datetime(2026, 12, 1, 12, 30, tzinfo=UTC))),
            "request_venue_offline": lambda client: client.pause(PauseRequest(reason="POS down for maintenance")),
            "request_venue_online": lambda client: client.resume(),
            "request_opening_times": lambda client: client.set_opening_hours(
                Availability(timezone="Europe/Madrid", weekly=weekly)),
            "request_item_availability": lambda client: client.update_catalog_items(
                [ItemUpdate(kind=ItemKind.PRODUCT, sku="BURGER-CLASSIC", available=False)]),
        }

    def outbound_response(self, case: CorpusCase) -> CannedResponse:
        if case.name in ORDER_BEHIND:
            return CannedResponse(200, _case(ORDER_BEHIND[case.name]).payload)
        return super().outbound_response(case)

    # --- signed samples ------------------------------------------------------------------------

    def webhook_samples(self) -> list[WebhookSample]:
        def signed(name: str, body: bytes, kinds: tuple, **expected) -> WebhookSample:
            return WebhookSample(name, body, s.sign(body), kinds, expected)

        return [
            signed("new order (thin)", s.note("CREATED", "ev-1", "ord-1"), (InboundEventKind.NEW_ORDER,),
                   channel_order_id="ord-1", order=None),
            signed("accepted: in production", s.note("PRODUCTION", "ev-2", "ord-1"), (InboundEventKind.STATUS_CHANGED,),
                   status=OrderStatus.PREPARING, channel_status="PRODUCTION"),
            signed("ready", s.note("READY", "ev-3", "ord-1"), (InboundEventKind.STATUS_CHANGED,),
                   status=OrderStatus.READY),
            signed("delivered", s.note("DELIVERED", "ev-4", "ord-1"), (InboundEventKind.STATUS_CHANGED,),
                   status=OrderStatus.DELIVERED),
            signed("canceled", s.note("CANCELED", "ev-5", "ord-2"), (InboundEventKind.STATUS_CHANGED,),
                   status=OrderStatus.CANCELLED),
            signed("courier approaching", s.note("", "ev-6", "ord-1", kind="courier.notification",
                                                 courier_details={"courier_pickup_eta": "2026-12-01T12:06:00Z"}),
                   (InboundEventKind.COURIER_UPDATE,), channel_order_id="ord-1"),
            signed("courier picked up", s.note("", "ev-7", "ord-1", kind="pickup_completed.notification",
                                               details={"is_pickup_completed": True}),
                   (InboundEventKind.COURIER_UPDATE,)),
            signed("a review", s.note("REVIEW", "ev-8", "ord-1"), (InboundEventKind.UNKNOWN,)),
        ]

    def forged_webhooks(self) -> list[WebhookSample]:
        body = s.note("CREATED", "ev-9", "ord-1")
        replayed = s.note("CREATED", "ev-9", "ord-1", at=s.SENT_AT - timedelta(hours=1))
        undated = b'{"id":"ev-9","type":"order.notification","order":{"id":"ord-1","status":"CREATED"}}'
        return [
            WebhookSample("signed with another secret", body, s.sign(body, "not-the-secret")),
            WebhookSample("no signature header", body, {"Content-Type": "application/json"}),
            WebhookSample("empty signature", body, {"WOLT-SIGNATURE": ""}),
            WebhookSample("replayed an hour later", replayed, s.sign(replayed)),
            WebhookSample("signed, but without created_at", undated, s.sign(undated)),
        ]

    def malformed_webhooks(self) -> list[WebhookSample]:
        not_json = b"not json"
        no_id = b'{"type":"order.notification","created_at":"2026-12-01T12:00:00Z"}'
        no_order = b'{"id":"ev-10","type":"order.notification","created_at":"2026-12-01T12:00:00Z"}'
        no_status = s.note("", "ev-11", "ord-1")
        return [WebhookSample("not json", not_json, s.sign(not_json)),
                WebhookSample("no id", no_id, s.sign(no_id)),
                WebhookSample("no order", no_order, s.sign(no_order)),
                WebhookSample("order.notification without a status", no_status, s.sign(no_status))]


# --- the signature, with fixed vectors computed once with openssl ---------------------------------------------

VECTOR_BODY = (b'{"id":"ev-1","type":"order.notification","order":{"id":"ord-1","venue_id":"venue-1",'
               b'"status":"CREATED","resource_url":"https://pos-integration-service.wolt.com/orders/ord-1"},'
               b'"created_at":"2026-12-01T12:00:00Z"}')
VECTOR_SIGNATURE = "a617e85268b7e827be3d21484c10af7824685f6cc85ed9daa891ed43e87ab8d1"
"""printf '%s' "$VECTOR_BODY" | openssl dgst -sha256 -hmac wolt-webhook-SECRET-0123456789abcdef"""


def test_the_documented_signature_is_hex_hmac_sha256_of_the_body_with_the_webhook_secret():
    headers = CaseInsensitiveDict({"WOLT-SIGNATURE": VECTOR_SIGNATURE})
    Module().verify_webhook(connection(), VECTOR_BODY, headers, s.SENT_AT)
    upper = CaseInsensitiveDict({"wolt-signature": VECTOR_SIGNATURE.upper()})  # HEX: either case, any header case
    Module().verify_webhook(connection(), VECTOR_BODY, upper, s.SENT_AT)


def test_a_signature_made_with_the_api_client_secret_is_refused():
    # Wolt's webhook secret "must be different from the API key": the API client secret signs nothing.
    with pytest.raises(WebhookRejected, match="WOLT-SIGNATURE does not match"):
        Module().verify_webhook(connection(), VECTOR_BODY, CaseInsensitiveDict(s.sign(VECTOR_BODY, s.CLIENT_SECRET)),
                                s.SENT_AT)


def test_notifications_signed_with_the_previous_webhook_secret_verify_during_rotation():
    rotated = connection(previous_webhook_secret=SecretStr(s.WEBHOOK_SECRET))
    rotated = ConnectionInfo(connection_id=1, store_id=s.VENUE, environment="sandbox", base_url="",
                             credentials=rotated.credentials.model_copy(
                                 update={"webhook_secret": SecretStr("the-new-webhook-secret")}))
    Module().verify_webhook(rotated, VECTOR_BODY, CaseInsensitiveDict({"WOLT-SIGNATURE": VECTOR_SIGNATURE}), s.SENT_AT)


def test_a_notification_for_another_venue_is_recorded_not_applied():
    body = s.note("CREATED", "ev-20", "ord-9", venue="someone-elses-venue")
    [event] = Module().parse_webhook(connection(), body, CaseInsensitiveDict(s.sign(body)))
    assert event.kind == InboundEventKind.UNKNOWN and "someone-elses-venue" in event.ignored_reason


def test_courier_notifications_carry_the_stage_and_the_pickup_eta():
    arriving = s.note("", "ev-21", "ord-1", kind="courier.notification",
                      courier_details={"courier_pickup_eta": "2026-12-01T12:06:00.000Z"})
    [event] = Module().parse_webhook(connection(), arriving, CaseInsensitiveDict(s.sign(arriving)))
    assert event.courier.stage == CourierStage.ARRIVING
    assert event.courier.pickup_eta == datetime(2026, 12, 1, 12, 6, tzinfo=UTC)
    picked = s.note("", "ev-22", "ord-1", kind="pickup_completed.notification", details={"is_pickup_completed": True})
    [event] = Module().parse_webhook(connection(), picked, CaseInsensitiveDict(s.sign(picked)))
    assert (event.courier.stage, event.courier.channel_stage) == (CourierStage.PICKED_UP,
                                                                  "pickup_completed.notification")
