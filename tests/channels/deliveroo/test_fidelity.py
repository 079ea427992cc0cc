"""What the kit does not compare: the signature's exact string (fixed vectors), the courier updates and the
scheduled orders' confirm-by time, each against the corpus' expected files."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal

import pytest
from pydantic import SecretStr
from requests.structures import CaseInsensitiveDict

from canonical import InboundEventKind
from integrations.channels.context import ConnectionInfo
from integrations.channels.deliveroo.module import Module
from integrations.channels.deliveroo.webhooks import signed_message
from integrations.channels.errors import MalformedWebhook, WebhookRejected
from integrations.channels.webhook_auth import hmac_digest

from .test_contract import corpus_case, corpus_connection, credentials


def connection(secret: str, **extra: object) -> ConnectionInfo:
    return ConnectionInfo(connection_id=1, store_id="site", environment="sandbox", base_url="",
                          credentials=credentials(secret, **extra))


def parse(name: str):
    case = corpus_case(name)
    headers = CaseInsensitiveDict(case.headers)
    module = Module()
    module.verify_webhook(corpus_connection(), case.body, headers, datetime.now())
    return case, module.parse_webhook(corpus_connection(), case.body, headers)


# Computed once with openssl: printf '%s' '1499765769 {"event":"order.new"}' | openssl dgst -sha256 -hmac <secret>
VECTORS = [
    ("your_webhook_secret", "1499765769", b'{"event":"order.new"}',
     "67c328961d4922b8ce0f791f3fd732c205defdb4cd689a827957ba3e19599b65"),
    ("previous-secret", "1499765769", b'{"event":"order.new"}',
     "b9933506afcca9242dc9713db4b5767c1b6ce8790d20c9efeb81303fdc5d6cd8"),
    ("k", "GUID-7", b'{"a":1}', "929339c46ae6ede4869daaa27f25a4008100fbca8aa6cc3c6e6fca0466a86ec0"),
]


@pytest.mark.parametrize(("secret", "guid", "body", "signature"), VECTORS)
def test_the_signed_string_is_the_guid_a_space_and_the_raw_body(secret, guid, body, signature):
    assert signed_message(guid, body) == guid.encode() + b" " + body
    assert hmac_digest(secret, signed_message(guid, body)) == signature
    headers = CaseInsensitiveDict({"x-deliveroo-sequence-guid": guid, "x-deliveroo-hmac-sha256": signature.upper()})
    Module().verify_webhook(connection(secret), body, headers, datetime.now())  # headers in any case


def test_the_legacy_newline_string_and_the_api_secret_do_not_verify():
    secret, guid, body, _signature = VECTORS[0]
    legacy = hmac_digest(secret, f"{guid} \n {body.decode()}".encode())
    signed_with_api_secret = hmac_digest("api-secret", signed_message(guid, body))
    for signature in (legacy, signed_with_api_secret):
        with pytest.raises(WebhookRejected, match="does not match"):
            Module().verify_webhook(connection(secret), body, CaseInsensitiveDict(
                {"X-Deliveroo-Sequence-Guid": guid, "X-Deliveroo-Hmac-Sha256": signature}), datetime.now())


def test_webhooks_signed_with_the_previous_secret_verify_while_it_is_rotated():
    secret, guid, body, signature = VECTORS[1]
    rotated = connection("the-new-secret", previous_webhook_secret=SecretStr(secret))
    Module().verify_webhook(rotated, body, CaseInsensitiveDict(
        {"X-Deliveroo-Sequence-Guid": guid, "X-Deliveroo-Hmac-Sha256": signature}), datetime.now())


@pytest.mark.parametrize("name", ["webhook_rider_assigned", "webhook_rider_in_transit"])
def test_a_rider_event_is_the_courier_of_the_order_as_the_expected_file_says(name):
    case, [event] = parse(name)
    want = case.expected["courier_update"]
    courier = event.courier

    assert event.kind == InboundEventKind.COURIER_UPDATE
    assert event.channel_order_id == case.expected["event"]["channel_order_id"]
    assert (str(courier.stage), courier.channel_stage, courier.name) == (want["stage"], want["channel_stage"],
                                                                         want["name"])
    for key in ("pickup_eta", "dropoff_eta"):
        expected = datetime.fromisoformat(want[key].replace("Z", "+00:00")) if want[key] else None
        assert getattr(courier, key) == expected, key
    if "phone" in want:
        assert (courier.phone, courier.phone_code) == (want["phone"], want["phone_code"])
    if "position" in want:
        position = want["position"]
        assert (courier.position.lat, courier.position.lng) == (Decimal(position["lat"]), Decimal(position["lng"]))
        assert courier.position.recorded_at == datetime.fromisoformat(position["recorded_at"].replace("Z", "+00:00"))


def test_a_scheduled_order_keeps_confirm_at_as_its_confirm_by_time():
    case, [event] = parse("webhook_order_new_scheduled")
    schedule = case.expected["schedule"]

    assert event.order.confirm_by == datetime.fromisoformat(schedule["confirm_by"].replace("Z", "+00:00"))
    assert event.order.is_scheduled and event.order.ref().scheduled
    assert event.order.confirm_by < datetime.fromisoformat(schedule["preparation_starts"].replace("Z", "+00:00"))


def test_an_asap_order_has_no_confirm_by_and_is_not_scheduled():
    _case, [event] = parse("webhook_order_new_deliveroo_rider")
    assert event.order.confirm_by is None and not event.order.ref().scheduled


def test_the_raw_order_is_kept_whole_for_support():
    case, [event] = parse("webhook_order_new_restaurant_courier")
    assert event.order.channel_payload == json.loads(case.body)["body"]["order"]


def test_an_order_whose_offer_does_not_add_up_is_refused_as_malformed():
    from integrations.channels.errors import MalformedWebhook

    from .signing import headers_for

    case = corpus_case("webhook_order_new_deliveroo_rider")
    body = case.body.replace(b'"offer_discount":{"fractional":200', b'"offer_discount":{"fractional":300')
    with pytest.raises(MalformedWebhook, match="offer_discount"):
        Module().parse_webhook(corpus_connection(), body, CaseInsensitiveDict(headers_for(body)))


def test_the_dedup_key_is_the_sequence_guid_whatever_its_case():
    def key(headers: dict[str, str]) -> str:
        return Module().webhook_dedup_key(corpus_connection(), b"{}", CaseInsensitiveDict(headers))

    upper, lower = key({"X-Deliveroo-Sequence-Guid": "AB-1"}), key({"x-deliveroo-sequence-guid": "ab-1"})
    assert upper == lower == "guid:ab-1"


@pytest.mark.parametrize("name", ["webhook_menu_upload_succeeded", "webhook_menu_upload_failed"])
def test_a_menu_upload_result_is_the_publish_result_the_expected_file_says(name):
    case, [event] = parse(name)
    want = case.expected["publish_result"]

    assert event.kind == InboundEventKind.PUBLISH_RESULT and not event.channel_order_id
    assert event.event_id == case.expected["event"]["dedup_key"]
    assert (str(event.publish.state), event.publish.transaction_id) == (want["state"], want["transaction_id"])
    assert list(event.publish.errors) == want["errors"]


def test_a_menu_result_without_its_menu_or_with_an_unknown_status_is_malformed_and_another_event_unhandled():
    from .signing import headers_for

    for body in (b'{"event":"menu.upload_result","body":{"status":"succeeded"}}',
                 b'{"event":"menu.upload_result","body":{"menu_id":"sinqro","status":"half_done"}}'):
        menu = {**headers_for(body, "1600000009"), "X-Deliveroo-Payload-Type": "webhook_menu"}
        with pytest.raises(MalformedWebhook):
            Module().parse_webhook(corpus_connection(), body, CaseInsensitiveDict(menu))

    other = b'{"event":"order.redelivery","body":{}}'
    [event] = Module().parse_webhook(corpus_connection(), other, CaseInsensitiveDict(headers_for(other)))
    assert event.ignored_reason == "Deliveroo event 'order.redelivery' is not handled"


def test_an_error_given_as_an_object_keeps_its_code_and_message():
    from .signing import headers_for

    body = (b'{"event":"menu.upload_result","body":{"menu_id":"m","status":"failed",'
            b'"errors":[{"code":"invalid_image","message":"item A: image too large"}]}}')
    menu = {**headers_for(body), "X-Deliveroo-Payload-Type": "WEBHOOK_MENU"}
    [event] = Module().parse_webhook(corpus_connection(), body, CaseInsensitiveDict(menu))
    assert event.publish.errors == ("invalid_image: item A: image too large",)
