"""The client's edge cases on a recording transport: what goes where when the corpus has no example for it."""

from __future__ import annotations

import base64

import pytest

from canonical import ItemKind, ItemUpdate, OrderRef, OrderStatus, ServiceType, StatusUpdate
from integrations.channels.deliveroo.module import Module
from integrations.channels.errors import UnmappedStatus
from integrations.channels.recording import CannedResponse, RecordingTransport
from integrations.http import PermanentChannelError

from .test_contract import corpus_connection

ASAP = OrderRef(channel_order_id="gb:asap-1", service_type=ServiceType.DELIVERY)
PICKUP = OrderRef(channel_order_id="gb:pick-1", service_type=ServiceType.COLLECTION)


def client(respond=lambda request: CannedResponse(204, b"")):
    transport = RecordingTransport(respond=respond)
    return Module().client(corpus_connection(), transport), transport


def test_a_rejection_without_a_reason_code_is_other_with_the_restaurants_words():
    deliveroo, transport = client()
    deliveroo.set_order_status(ASAP, StatusUpdate(status=OrderStatus.REJECTED, reason="Oven broke"))

    [request] = transport.channel_requests()
    assert (request.method, request.path) == ("PATCH", "/order/v1/orders/gb:asap-1")
    assert request.json() == {"status": "rejected", "reject_reason": "other", "notes": "Oven broke"}


def test_an_asap_order_starting_in_the_kitchen_is_a_prep_stage_not_a_confirmation():
    deliveroo, transport = client()
    deliveroo.set_order_status(ASAP, StatusUpdate(status=OrderStatus.PREPARING))
    deliveroo.set_order_status(PICKUP, StatusUpdate(status=OrderStatus.PICKED_UP))

    first, second = transport.channel_requests()
    assert (first.path, first.json()["stage"]) == ("/order/v1/orders/gb:asap-1/prep_stage", "in_kitchen")
    assert first.json()["occurred_at"].endswith("Z")
    assert (second.path, second.json()["stage"]) == ("/order/v1/orders/gb:pick-1/prep_stage", "collected")


def test_what_deliveroo_takes_no_call_for_is_refused_before_any_request():
    deliveroo, transport = client()
    for status in (OrderStatus.CANCELLED, OrderStatus.DELIVERED):
        with pytest.raises(UnmappedStatus):
            deliveroo.set_order_status(ASAP, StatusUpdate(status=status, reason="x"))
    with pytest.raises(PermanentChannelError, match="menu upload"):
        deliveroo.update_catalog_items([ItemUpdate(kind=ItemKind.PRODUCT, sku="SID-FRY", price="3.00")])
    assert transport.channel_requests() == []


def test_the_token_is_asked_with_basic_authorization_and_deliveroos_error_words_reach_the_job():
    deliveroo, transport = client(lambda request: CannedResponse(
        409, {"error": {"code": "conflict", "message": "sync status was already sent"}}))

    with pytest.raises(PermanentChannelError, match="sync status was already sent"):
        deliveroo.set_order_status(ASAP, StatusUpdate(status=OrderStatus.ACCEPTED))

    [token] = [request for request in transport.requests if request.is_token_request]
    assert token.url == "https://auth.developers.deliveroo.com/oauth2/token"
    expected = base64.b64encode(b"sinqro-corpus-client:api-secret").decode()
    assert token.headers["Authorization"] == f"Basic {expected}"
    assert b"grant_type=client_credentials" in token.body and b"api-secret" not in token.body
