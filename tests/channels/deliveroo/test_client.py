"""The client's edge cases on a recording transport: what goes where when the corpus has no example for it."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from canonical import (
    Availability,
    CalendarException,
    CanonicalCatalog,
    ItemKind,
    ItemUpdate,
    OrderRef,
    OrderStatus,
    PublishState,
    ServiceType,
    StatusUpdate,
)
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


# --- days off: reconciled with the site's upcoming ones (the flow itself: test_end_to_end against the simulator) ---

SITE_PATH = "/site/v1/brands/sinqro-brand-1/sites/sinqro-site-4163"
CHRISTMAS = CalendarException(starts_at=datetime(2026, 12, 25, 0, 0, tzinfo=UTC),
                              expires_at=datetime(2026, 12, 26, 0, 0, tzinfo=UTC), reason="Christmas")
NEW_YEAR = CalendarException(starts_at=datetime(2027, 1, 1, 0, 0, tzinfo=UTC),
                             expires_at=datetime(2027, 1, 2, 0, 0, tzinfo=UTC), reason="New Year")


def listing(*pages):
    """Answers the days off listing page by page (``page_number``), everything else with 200 {}."""
    def respond(request):
        if request.method == "GET":
            page = int(parse_qs(urlsplit(request.url).query)["page_number"][0])
            return CannedResponse(200, pages[page - 1])
        return CannedResponse(200, {})
    return respond


def record(days_off_id, start, end, reason, **extra):
    return {"days_off_id": days_off_id, "local_start_time": start, "local_end_time": end, "reason": reason, **extra}


def test_days_off_still_wanted_are_kept_stale_ones_cancelled_and_deliveroos_forced_closures_left_alone():
    deliveroo, transport = client(listing([
        record("gb:1", "2026-12-25 00:00", "2026-12-26 00:00", "Christmas"),  # still wanted: kept
        record("gb:2", "2026-12-25 00:00", "2026-12-26 00:00", "Christmas"),  # a duplicate of old: cancelled
        record("gb:3", "2026-11-02 00:00", "2026-11-03 00:00", "Staff training"),  # gone from the calendar
        record("gb:4", "2026-11-05 00:00", "2026-11-06 00:00", "FORCED_CLOSURE"),  # Deliveroo's own: not ours
        record("gb:5", "2026-11-07 00:00", "2026-11-08 00:00", "Holiday", cancelled_at="2026-11-01 10:00"),
    ]))
    deliveroo.set_opening_hours(Availability(timezone="Europe/London", exceptions=(CHRISTMAS, NEW_YEAR)))

    sent = [(request.method, request.path) for request in transport.channel_requests()]
    assert sent == [("GET", f"{SITE_PATH}/days_off"), ("DELETE", f"{SITE_PATH}/days_off/gb:2"),
                    ("DELETE", f"{SITE_PATH}/days_off/gb:3"), ("POST", f"{SITE_PATH}/opening_hours"),
                    ("POST", f"{SITE_PATH}/days_off")]
    assert transport.channel_requests()[-1].json() == {"local_start_time": "2027-01-01 00:00",
                                                       "local_end_time": "2027-01-02 00:00", "reason": "New Year"}
    query = parse_qs(urlsplit(transport.channel_requests()[0].url).query)
    assert query == {"upcoming": ["true"], "page_size": ["50"], "page_number": ["1"]}


def test_every_page_of_days_off_is_read_and_a_listing_of_unknown_shape_changes_nothing():
    full = [record(f"gb:{n}", "2026-12-25 00:00", "2026-12-26 00:00", "Christmas") for n in range(50)]
    deliveroo, transport = client(listing(full, {"days_off": []}))
    deliveroo.set_opening_hours(Availability(timezone="Europe/London", exceptions=(CHRISTMAS,)))
    gets = [request for request in transport.channel_requests() if request.method == "GET"]
    assert len(gets) == 2
    deletes = [request.path for request in transport.channel_requests() if request.method == "DELETE"]
    assert len(deletes) == 49 and f"{SITE_PATH}/days_off/gb:0" not in deletes  # the first kept, 49 doubles gone

    deliveroo, transport = client(listing({"items": "?"}))
    with pytest.raises(PermanentChannelError, match="unknown shape"):
        deliveroo.set_opening_hours(Availability(timezone="Europe/London", exceptions=(CHRISTMAS,)))
    assert [request.method for request in transport.channel_requests()] == ["GET"]


def test_a_menu_upload_is_processing_until_the_menu_webhook_tells_its_result():
    deliveroo, transport = client(lambda request: CannedResponse(200, {}))
    answer = deliveroo.publish_catalog(CanonicalCatalog(currency="GBP"))
    assert (answer.state, answer.transaction_id) == (PublishState.PROCESSING, "sinqro")
    assert Module.publish_result_by_webhook and transport.channel_requests()[-1].method == "PUT"
