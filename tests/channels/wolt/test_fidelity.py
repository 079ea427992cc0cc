"""Wolt edge cases the corpus does not show: hours in the venue's local time, odd orders, the token chain."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, time, timedelta
from urllib.parse import parse_qs

import pytest
from pydantic import SecretStr

from canonical import (
    Availability,
    CalendarException,
    OrderRef,
    OrderStatus,
    RefusalReason,
    ServiceType,
    StatusUpdate,
    WeeklyRange,
)
from integrations.channels.context import ConnectionInfo
from integrations.channels.corpus import corpus_directory, load_corpus
from integrations.channels.recording import CannedResponse, RecordedRequest, RecordingTransport
from integrations.channels.wolt.hours import opening_times, special_times
from integrations.channels.wolt.module import Module, WoltCredentials
from integrations.channels.wolt.translate import order_to_canonical
from integrations.http import PermanentChannelError

from . import samples as s


def corpus_order(name: str) -> dict:
    return copy.deepcopy(next(c for c in load_corpus(corpus_directory(Module)) if c.name == name).payload)


# --- hours ---------------------------------------------------------------------------------------------------


def test_a_shift_past_midnight_closes_the_next_day_and_one_until_midnight_closes_at_24_00():
    weekly = (WeeklyRange(start_day=6, end_day=6, start_time=time(19), end_time=time(1)),
              WeeklyRange(start_day=0, end_day=1, start_time=time(12), end_time=time(0)))
    assert opening_times(Availability(timezone="Europe/Madrid", weekly=weekly))["availability"] == [
        {"opening_day": "SUNDAY", "opening_time": "19:00", "closing_day": "MONDAY", "closing_time": "01:00"},
        {"opening_day": "MONDAY", "opening_time": "12:00", "closing_day": "MONDAY", "closing_time": "24:00"},
        {"opening_day": "TUESDAY", "opening_time": "12:00", "closing_day": "TUESDAY", "closing_time": "24:00"},
    ]


def test_special_times_are_local_dates_a_closed_day_an_opening_of_no_length():
    madrid_midnight = datetime(2030, 12, 24, 23, 0, tzinfo=UTC)  # 25 December 00:00 in Madrid (UTC + 1)
    exceptions = (
        CalendarException(starts_at=madrid_midnight, expires_at=madrid_midnight + timedelta(days=2)),
        CalendarException(starts_at=datetime(2030, 12, 31, 17, 0, tzinfo=UTC),  # 18:00 to 02:00 local
                          expires_at=datetime(2031, 1, 1, 1, 0, tzinfo=UTC), closed=False),
    )
    assert special_times(Availability(timezone="Europe/Madrid", exceptions=exceptions))["special_times"] == [
        {"opening_date": "2030-12-25", "opening_time": "00:00", "closing_date": "2030-12-25", "closing_time": "00:00"},
        {"opening_date": "2030-12-26", "opening_time": "00:00", "closing_date": "2030-12-26", "closing_time": "00:00"},
        {"opening_date": "2030-12-31", "opening_time": "18:00", "closing_date": "2030-12-31", "closing_time": "24:00"},
        {"opening_date": "2031-01-01", "opening_time": "00:00", "closing_date": "2031-01-01", "closing_time": "02:00"},
    ]


# --- orders --------------------------------------------------------------------------------------------------


def test_an_order_of_an_undocumented_delivery_type_is_refused_not_taken_for_a_delivery():
    order = corpus_order("get_order_takeaway")
    order["delivery"]["type"] = "drone"
    with pytest.raises(PermanentChannelError, match="unknown delivery type 'drone'"):
        order_to_canonical(order)


def test_a_delivered_takeaway_is_picked_up_and_a_pre_order_without_a_time_is_still_scheduled():
    takeaway = corpus_order("get_order_takeaway")
    takeaway["order_status"] = "delivered"  # the case is not documented: read either way
    assert order_to_canonical(takeaway).status == OrderStatus.PICKED_UP

    planned = corpus_order("get_order_preorder")
    planned["pre_order"] = None
    order = order_to_canonical(planned)
    assert order.is_scheduled and order.scheduled_for is None and order.scheduled_earliest == order.placed_at


def test_a_cash_order_says_so_and_nothing_claims_it_prepaid():
    order = corpus_order("get_order_self_delivery")
    order["cash_payment"] = {"cash_amount": {"amount": 1949, "currency": "EUR"}}
    payment = order_to_canonical(order).payments[0]
    assert (payment.method, payment.prepaid, payment.channel_method) == ("cash", False, "cash_payment")
    assert order_to_canonical(corpus_order("get_order_self_delivery")).payments[0].prepaid is None


# --- the token chain -----------------------------------------------------------------------------------------


class Wolt:
    """Answers token requests with a new pair each time and orders with the corpus' order."""

    def __init__(self, expires_in: int = 3600) -> None:
        self.refreshed_with: list[str] = []
        self.expires_in = expires_in

    def __call__(self, request: RecordedRequest) -> CannedResponse:
        if request.path == "/oauth2/token":
            form = parse_qs(request.body.decode())
            assert form["grant_type"] == ["refresh_token"] and form["client_id"] == [s.CLIENT_ID]
            self.refreshed_with.append(form["refresh_token"][0])
            n = len(self.refreshed_with)
            return CannedResponse(200, {"access_token": f"access-{n}", "refresh_token": f"refresh-{n}",
                                        "expires_in": self.expires_in, "token_type": "Bearer"})
        return CannedResponse(200, corpus_order("get_order_wolt_courier"))


def client(transport: RecordingTransport, **credentials):
    connection = ConnectionInfo(
        connection_id=1, store_id=s.VENUE, environment="sandbox", base_url="https://wolt.example",
        credentials=WoltCredentials(client_id=s.CLIENT_ID, client_secret=SecretStr(s.CLIENT_SECRET),
                                    refresh_token=SecretStr(s.REFRESH_TOKEN),
                                    webhook_secret=SecretStr(s.WEBHOOK_SECRET), **credentials))
    return Module().client(connection, transport)


def test_each_refresh_spends_the_latest_refresh_token_and_every_client_shares_the_chain():
    wolt = Wolt(expires_in=30)  # inside the refresh margin: every call refreshes
    transport = RecordingTransport(respond=wolt)

    client(transport).get_order("6a1f0c2b9d3e4f5a6b7c8d01")
    client(transport).get_order("6a1f0c2b9d3e4f5a6b7c8d01")  # a new client (another job, worker) on the same store

    assert wolt.refreshed_with == [s.REFRESH_TOKEN, "refresh-1"]  # never a spent token twice
    gets = [r for r in transport.requests if r.path.startswith("/v2/orders/")]
    assert [r.headers["Authorization"] for r in gets] == ["Bearer access-1", "Bearer access-2"]


def test_the_code_exchanges_access_token_is_used_until_it_expires_then_refreshed():
    wolt = Wolt()
    transport = RecordingTransport(respond=wolt)
    soon = datetime.now(UTC) + timedelta(hours=1)

    client(transport, access_token=SecretStr("from-the-code"), access_token_expires_at=soon).get_order("x")
    assert wolt.refreshed_with == []
    client(transport, access_token=SecretStr("from-the-code"),
           access_token_expires_at=datetime.now(UTC) - timedelta(minutes=1)).get_order("x")
    assert wolt.refreshed_with == [s.REFRESH_TOKEN]
    assert [r.headers["Authorization"] for r in transport.requests if r.path == "/v2/orders/x"] == [
        "Bearer from-the-code", "Bearer access-1"]


def test_a_venue_that_connects_again_starts_a_new_chain():
    wolt = Wolt()
    transport = RecordingTransport(respond=wolt)
    client(transport).get_order("x")
    reconnected = ConnectionInfo(
        connection_id=1, store_id=s.VENUE, environment="sandbox", base_url="https://wolt.example",
        credentials=WoltCredentials(client_id=s.CLIENT_ID, client_secret=SecretStr(s.CLIENT_SECRET),
                                    refresh_token=SecretStr("refresh-of-the-new-code"),
                                    webhook_secret=SecretStr(s.WEBHOOK_SECRET)))
    Module().client(reconnected, transport).get_order("x")
    assert wolt.refreshed_with == [s.REFRESH_TOKEN, "refresh-of-the-new-code"]


def test_a_rejection_without_words_says_the_canonical_reason_and_names_the_missing_items():
    transport = RecordingTransport(respond=Wolt())
    ref = OrderRef(channel_order_id="ord-7", service_type=ServiceType.DELIVERY)
    client(transport, access_token=SecretStr("t"), access_token_expires_at=datetime.now(UTC) + timedelta(hours=1)) \
        .set_order_status(ref, StatusUpdate(status=OrderStatus.REJECTED, reason_code=RefusalReason.ITEMS_UNAVAILABLE,
                                            unavailable_items=("BURGER-CLASSIC", "DRINK-COLA")))
    assert transport.requests[-1].json() == {"reason": "Items out of stock (BURGER-CLASSIC, DRINK-COLA)"}
