"""What the kit's expected-file rules cannot say yet about a reservation, and TheFork's edges, checked here.

The kit compares an expected ``order``; a reservation's own facts (party size, meal time) have no kit rule, so
each expected file also holds a ``reservation`` block, written from the field meanings, compared here. The
customer GET is accounted for field by field here too (the kit accounts for the fixture's main payload only).
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import parse_qs

import pytest
import requests

from canonical import OrderRef, OrderStatus, ServiceType, StatusUpdate
from integrations.channels.errors import UnmappedStatus
from integrations.channels.features import Feature
from integrations.channels.payloads import account_for, reading, tracked
from integrations.channels.recording import CannedResponse, RecordingTransport
from integrations.channels.thefork.client import thefork_error
from integrations.channels.thefork.module import Module
from integrations.channels.thefork.translate import customer_to_canonical
from integrations.http import PermanentChannelError

from . import test_contract as contract
from .corpus import fixture, reservations
from .test_contract import connection


@pytest.mark.parametrize("case", reservations(), ids=lambda case: case.name)
def test_the_reservation_carries_its_party_size_meal_time_and_guest_as_documented(case):
    expected = case.expected["reservation"]

    result = contract.TestTheForkContract().translate(case)

    assert result.error is None, result.error
    order = result.order
    assert order.is_reservation and order.diners == expected["diners"]
    assert order.reservation_at == datetime.fromisoformat(expected["reservation_at"].replace("Z", "+00:00"))
    assert order.customer.email == expected["customer_email"]
    assert order.channel_payload["reservation"] == case.payload  # the whole response kept for support


@pytest.mark.parametrize("case", [case for case in reservations() if case.fixture.get("related")],
                         ids=lambda case: case.name)
def test_every_field_of_the_customer_is_read_or_ignored_with_a_reason(case):
    [related] = case.fixture["related"]
    with reading() as log:
        customer_to_canonical(tracked(related["payload"]))

    account = account_for(related["payload"], log.paths, Module.ignored_fields, Module.known_gaps)

    assert not account.unaccounted and not account.ignored_but_read, account


def test_the_token_is_asked_as_documented_once_and_reused():
    case = fixture("get_reservation_recorded")
    answers = {case.request["url"]: case.payload}
    answers |= {related["request"]["url"]: related["payload"] for related in case.fixture["related"]}
    transport = RecordingTransport(respond=lambda request: CannedResponse(200, answers[request.url]))
    client = Module().client(connection(), transport)

    client.get_order(case.payload["reservationUuid"])
    client.get_order_status(OrderRef(channel_order_id=case.payload["reservationUuid"],
                                     service_type=ServiceType.RESERVATION))

    [token] = [request for request in transport.requests if request.is_token_request]
    assert token.url == "https://auth.thefork.io/oauth/token"
    form = parse_qs(token.body.decode())
    assert form == {"audience": ["https://api.thefork.io"], "grant_type": ["client_credentials"],
                    "client_id": ["sinqro-corpus-client"], "client_secret": ["corpus-secret"]}
    calls = transport.channel_requests()
    assert [request.method for request in calls] == ["GET", "GET", "GET"]
    assert all(request.headers["Authorization"].startswith("Bearer ") for request in calls)


def test_a_reservation_without_a_customer_is_one_get():
    case = fixture("get_reservation_rejected")
    transport = RecordingTransport(respond=lambda request: CannedResponse(200, case.payload))

    order = Module().client(connection(), transport).get_order(case.payload["reservationUuid"])

    assert [request.url for request in transport.channel_requests()] == [case.request["url"]]
    assert order.customer.name == "" and order.status == OrderStatus.REJECTED


def test_a_reservation_of_another_restaurant_is_refused_not_taken():
    case = fixture("get_reservation_rejected")
    foreign = {**case.payload, "restaurantUuid": "00000000-0000-4000-8000-000000000009"}
    transport = RecordingTransport(respond=lambda request: CannedResponse(200, foreign))

    with pytest.raises(PermanentChannelError, match="another TheFork restaurant"):
        Module().client(connection(), transport).get_order(case.payload["reservationUuid"])


@pytest.mark.parametrize("status", [OrderStatus.CONFIRMED, OrderStatus.REJECTED, OrderStatus.SEATED,
                                    OrderStatus.NO_SHOW, OrderStatus.COMPLETED])
def test_only_a_cancellation_can_be_posted_the_rest_is_refused_before_any_call(status):
    transport = RecordingTransport()
    reservation = OrderRef(channel_order_id="r-1", service_type=ServiceType.RESERVATION)

    with pytest.raises(UnmappedStatus, match="TheFork Manager"):
        Module().client(connection(), transport).set_order_status(reservation, StatusUpdate(status=status))

    assert transport.channel_requests() == []
    assert status not in Module.features.options(Feature.POST_STATUS).statuses  # so the platform never asks


def test_thefork_errors_are_read_with_their_code():
    response = requests.Response()
    response.status_code = 404
    response._content = b'{"data":{"code":"RESERVATION_NOT_FOUND"},"error":"Not Found","statusCode":404}'

    assert thefork_error(response) == ("RESERVATION_NOT_FOUND", "Not Found (RESERVATION_NOT_FOUND)")


def test_every_documented_status_has_a_meaning_and_the_cancellation_round_trips():
    module = Module()
    meanings = {code: module.to_canonical_status(code, ServiceType.RESERVATION) for code in
                ("REQUESTED", "RECORDED", "CONFIRMED", "REFUSED", "REJECTED", "CANCELED", "NO_SHOW", "ARRIVED",
                 "SEATED", "LEFT")}

    assert meanings == {"REQUESTED": "requested", "RECORDED": "confirmed", "CONFIRMED": "confirmed",
                        "REFUSED": "rejected", "REJECTED": "rejected", "CANCELED": "cancelled",
                        "NO_SHOW": "no_show", "ARRIVED": "arrived", "SEATED": "seated", "LEFT": "completed"}
    assert module.to_channel_status(OrderStatus.CANCELLED, ServiceType.RESERVATION) == "CANCELED"


@pytest.mark.parametrize(("status_now", "succeeds"), [("CANCELED", True), ("LEFT", False)])
def test_a_cancel_refused_as_cancellation_error_is_done_only_if_the_reservation_is_cancelled(status_now, succeeds):
    """A retried cancel whose first try went through meets CANCELLATION_ERROR; one of a finished meal is refused."""
    case = fixture("get_reservation_recorded")
    refused = {"data": {"code": "CANCELLATION_ERROR"}, "error": "Bad Request", "statusCode": 400}

    def answer(request):
        if request.method == "PATCH":
            return CannedResponse(400, refused)
        return CannedResponse(200, {**case.payload, "status": status_now})

    transport = RecordingTransport(respond=answer)
    reservation = OrderRef(channel_order_id=case.payload["reservationUuid"], service_type=ServiceType.RESERVATION)
    client = Module().client(connection(), transport)
    cancel = StatusUpdate(status=OrderStatus.CANCELLED, reason="The kitchen flooded")

    if succeeds:
        client.set_order_status(reservation, cancel)
    else:
        with pytest.raises(PermanentChannelError, match="CANCELLATION_ERROR"):
            client.set_order_status(reservation, cancel)
    assert [request.method for request in transport.channel_requests()] == ["PATCH", "GET"]
