"""ChannelHttp against a real local server: success, classification, recording."""

from __future__ import annotations

import email.utils
import time
from typing import Any

import pytest
import requests
import responses

from integrations.http import (
    CallRecord,
    ChannelHttp,
    PermanentChannelError,
    RetryableChannelError,
    parse_retry_after,
)
from tests.http.conftest import StubResponse, StubServer


def make_client(stub: StubServer, records: list[CallRecord], **kwargs: Any) -> ChannelHttp:
    return ChannelHttp(stub.url + "/v1/", recorder=records.append, correlation_id="corr-1", **kwargs)


def test_get_returns_json_and_records_an_ok_call(stub: StubServer, records: list[CallRecord]) -> None:
    # given
    stub.on("GET", "/v1/orders/42", StubResponse(200, json={"id": "42", "total": 1250}))
    client = make_client(stub, records)

    # when
    response = client.get("/orders/42", operation="get_order", params={"expand": "items"})

    # then
    assert response.status_code == 200
    assert response.json() == {"id": "42", "total": 1250}
    assert response.headers["content-type"] == "application/json"
    assert stub.received("GET", "/v1/orders/42")[0].query == {"expand": ["items"]}
    [record] = records
    assert record.outcome == "ok"
    assert record.operation == "get_order"
    assert record.correlation_id == "corr-1"
    assert record.method == "GET"
    assert record.url == stub.url + "/v1/orders/42?expand=items"
    assert record.status_code == 200
    assert '"total": 1250' in record.response_body
    assert record.error == ""
    assert record.duration_ms >= 0


def test_post_sends_json_body_with_default_headers(stub: StubServer, records: list[CallRecord]) -> None:
    # given
    stub.on("POST", "/v1/menus", StubResponse(202, json={"transaction_id": "t-1"}))
    client = make_client(stub, records, default_headers={"X-Channel-Version": "2"})

    # when
    response = client.post("menus", operation="push_catalog", json={"name": "Lunch"})

    # then
    [received] = stub.received("POST", "/v1/menus")
    assert received.body == b'{"name": "Lunch"}'
    assert received.headers["content-type"] == "application/json"
    assert received.headers["accept"] == "application/json"
    assert received.headers["x-channel-version"] == "2"
    assert response.json() == {"transaction_id": "t-1"}
    assert records[0].request_body == '{"name": "Lunch"}'


def test_put_patch_delete_shortcuts_use_their_method(stub: StubServer, records: list[CallRecord]) -> None:
    # given
    for method in ("PUT", "PATCH", "DELETE"):
        stub.on(method, "/v1/thing", StubResponse(204))
    client = make_client(stub, records)

    # when
    client.put("/thing", operation="a", json={})
    client.patch("/thing", operation="b", json={})
    client.delete("/thing", operation="c")

    # then
    assert [r.method for r in stub.requests] == ["PUT", "PATCH", "DELETE"]
    assert [r.outcome for r in records] == ["ok", "ok", "ok"]


def test_json_on_a_non_json_body_raises_a_clear_permanent_error(stub: StubServer, records: list[CallRecord]) -> None:
    # given
    html = StubResponse(200, body="<html>maintenance</html>", headers={"Content-Type": "text/html"})
    stub.on("GET", "/v1/page", html)
    response = make_client(stub, records).get("/page", operation="get_order")

    # when
    with pytest.raises(PermanentChannelError) as caught:
        response.json()

    # then
    assert "Expected a JSON body but got text/html" in str(caught.value)
    assert "maintenance" in str(caught.value)
    assert response.text == "<html>maintenance</html>"


@pytest.mark.parametrize("status", [500, 502, 503])
def test_5xx_is_retryable(stub: StubServer, records: list[CallRecord], status: int) -> None:
    # given
    stub.on("GET", "/v1/orders/1", StubResponse(status, body="upstream down"))

    # when
    with pytest.raises(RetryableChannelError) as caught:
        make_client(stub, records).get("/orders/1", operation="get_order")

    # then
    error = caught.value
    assert error.retryable is True
    assert error.status_code == status
    assert error.message == "upstream down"
    assert records[0].outcome == "retryable"
    assert records[0].status_code == status
    assert records[0].error == str(error)


def test_429_with_retry_after_seconds(stub: StubServer, records: list[CallRecord]) -> None:
    # given
    stub.on("POST", "/v1/status", StubResponse(429, json={"message": "Slow down"}, headers={"Retry-After": "7"}))

    # when
    with pytest.raises(RetryableChannelError) as caught:
        make_client(stub, records).post("/status", operation="set_status", json={})

    # then
    assert caught.value.retry_after == 7.0
    assert caught.value.message == "Slow down"
    assert "retry after 7s" in str(caught.value)


def test_429_with_retry_after_http_date(stub: StubServer, records: list[CallRecord]) -> None:
    # given
    later = email.utils.formatdate(time.time() + 120, usegmt=True)
    stub.on("POST", "/v1/status", StubResponse(429, body="", headers={"Retry-After": later}))

    # when
    with pytest.raises(RetryableChannelError) as caught:
        make_client(stub, records).post("/status", operation="set_status", json={})

    # then
    assert caught.value.retry_after is not None
    assert 100 <= caught.value.retry_after <= 121
    assert caught.value.message == "HTTP 429 Too Many Requests"


def test_retry_after_parsing_edge_cases() -> None:
    assert parse_retry_after(None) is None
    assert parse_retry_after("garbage") is None
    assert parse_retry_after("-3") == 0.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past


@pytest.mark.parametrize(
    ("payload", "code", "message"),
    [
        ({"error": {"code": "invalid_menu", "message": "No sections"}}, "invalid_menu", "No sections"),
        ({"code": "store_closed", "message": "The store is closed"}, "store_closed", "The store is closed"),
        ({"message": "Bad pickup time"}, None, "Bad pickup time"),
        ({"error": "order already accepted"}, None, "order already accepted"),
        ({"errors": [{"message": "no price"}, {"message": "too long"}]}, None, "no price; too long"),
        ({"error": "invalid_client", "error_description": "Unknown client"}, "invalid_client", "Unknown client"),
    ],
)
def test_400_carries_the_channels_own_message(
    stub: StubServer, records: list[CallRecord], payload: dict, code: str | None, message: str
) -> None:
    # given
    stub.on("POST", "/v1/menus", StubResponse(400, json=payload))

    # when
    with pytest.raises(PermanentChannelError) as caught:
        make_client(stub, records).post("/menus", operation="push_catalog", json={})

    # then
    error = caught.value
    assert error.retryable is False
    assert error.status_code == 400
    assert error.channel_code == code
    assert error.message == message
    assert records[0].outcome == "permanent"


def test_400_with_a_plain_text_body_falls_back_to_the_capped_text(stub: StubServer, records: list[CallRecord]) -> None:
    # given
    stub.on("POST", "/v1/menus", StubResponse(400, body="bad things " * 100))

    # when
    with pytest.raises(PermanentChannelError) as caught:
        make_client(stub, records).post("/menus", operation="push_catalog", json={})

    # then
    assert caught.value.message.startswith("bad things bad things")
    assert "[truncated" in caught.value.message


def test_404_is_permanent(stub: StubServer, records: list[CallRecord]) -> None:
    # given nothing is scripted: the stub answers 404 with an error body

    # when
    with pytest.raises(PermanentChannelError) as caught:
        make_client(stub, records).get("/orders/missing", operation="get_order")

    # then
    assert caught.value.status_code == 404
    assert caught.value.channel_code == "not_found"
    assert caught.value.message == "No such route"
    assert str(caught.value) == "No such route (get_order, HTTP 404, code not_found)"


def test_a_custom_error_parser_is_used(stub: StubServer, records: list[CallRecord]) -> None:
    # given
    stub.on("GET", "/v1/x", StubResponse(422, json={"fault": {"id": "E42", "text": "Nope"}}))

    def parser(response: requests.Response) -> tuple[str | None, str]:
        fault = response.json()["fault"]
        return fault["id"], fault["text"]

    # when
    with pytest.raises(PermanentChannelError) as caught:
        make_client(stub, records, error_parser=parser).get("/x", operation="get_order")

    # then
    assert (caught.value.channel_code, caught.value.message) == ("E42", "Nope")


def test_read_timeout_is_retryable_and_recorded_without_status(stub: StubServer, records: list[CallRecord]) -> None:
    # given
    stub.on("GET", "/v1/slow", StubResponse(200, json={}, delay=1.0))
    client = make_client(stub, records, timeout=(1.0, 0.1))

    # when
    with pytest.raises(RetryableChannelError) as caught:
        client.get("/slow", operation="get_order")

    # then
    assert "Timed out" in caught.value.message
    assert caught.value.status_code is None
    [record] = records
    assert record.outcome == "retryable"
    assert record.status_code is None
    assert record.response_body == ""


def test_connection_refused_is_retryable_and_recorded(closed_port_url: str, records: list[CallRecord]) -> None:
    # given
    client = ChannelHttp(closed_port_url, recorder=records.append, timeout=(1.0, 1.0))

    # when
    with pytest.raises(RetryableChannelError) as caught:
        client.post("/orders/1/accept", operation="set_status", json={"a": 1})

    # then
    assert "Could not connect" in caught.value.message
    [record] = records
    assert record.outcome == "retryable"
    assert record.status_code is None
    assert record.request_body == '{"a": 1}'
    assert "Could not connect" in record.error


def test_every_call_is_recorded_in_order(stub: StubServer, records: list[CallRecord]) -> None:
    # given
    stub.on("GET", "/v1/a", StubResponse(200, json={}))
    stub.on("GET", "/v1/b", StubResponse(503, body="busy"))
    client = make_client(stub, records)

    # when
    client.get("/a", operation="one")
    with pytest.raises(RetryableChannelError):
        client.get("/b", operation="two")
    with pytest.raises(PermanentChannelError):
        client.get("/c", operation="three")

    # then
    assert [(r.operation, r.outcome, r.status_code) for r in records] == [
        ("one", "ok", 200),
        ("two", "retryable", 503),
        ("three", "permanent", 404),
    ]
    assert len({r.correlation_id for r in records}) == 1


def test_bodies_are_capped_in_records(stub: StubServer, records: list[CallRecord]) -> None:
    # given
    stub.on("POST", "/v1/menus", StubResponse(200, body="y" * 500))
    client = make_client(stub, records, body_cap=100)

    # when
    client.post("/menus", operation="push_catalog", data="x" * 300)

    # then
    record = records[0]
    assert record.request_body == "x" * 100 + "… [truncated 200 chars]"
    assert record.response_body == "y" * 100 + "… [truncated 400 chars]"


def test_a_failing_recorder_does_not_break_the_call(stub: StubServer) -> None:
    # given
    stub.on("GET", "/v1/a", StubResponse(200, json={"ok": True}))

    def broken(record: CallRecord) -> None:
        raise RuntimeError("disk full")

    # when
    response = ChannelHttp(stub.url + "/v1", recorder=broken).get("/a", operation="x")

    # then
    assert response.json() == {"ok": True}


def test_redirects_are_not_followed(stub: StubServer, records: list[CallRecord]) -> None:
    # given
    stub.on("GET", "/v1/a", StubResponse(302, headers={"Location": "http://elsewhere.example/steal"}))

    # when
    with pytest.raises(PermanentChannelError) as caught:
        make_client(stub, records).get("/a", operation="get_order")

    # then
    assert "redirect" in caught.value.message
    assert len(stub.requests) == 1


def test_absolute_urls_must_stay_on_the_base_origin(stub: StubServer, records: list[CallRecord]) -> None:
    # given
    stub.on("GET", "/v1/orders/9", StubResponse(200, json={"id": 9}))
    client = make_client(stub, records)

    # when / then
    assert client.get(stub.url + "/v1/orders/9", operation="get_order").json() == {"id": 9}
    with pytest.raises(ValueError, match="another origin"):
        client.get("https://evil.example/orders/9", operation="get_order")


@responses.activate
def test_408_and_unusual_statuses_are_classified() -> None:
    # given
    responses.add(responses.GET, "https://api.example/a", status=408)
    responses.add(responses.GET, "https://api.example/b", status=409, json={"message": "Already synced"})
    client = ChannelHttp("https://api.example", session=requests.Session())

    # when / then
    with pytest.raises(RetryableChannelError):
        client.get("/a", operation="x")
    with pytest.raises(PermanentChannelError, match="Already synced"):
        client.get("/b", operation="x")


@responses.activate
def test_a_broken_error_parser_falls_back_to_the_default() -> None:
    # given
    responses.add(responses.GET, "https://api.example/a", status=400, json={"message": "Bad"})

    def parser(response: requests.Response) -> tuple[str | None, str]:
        raise KeyError("fault")

    # when / then
    with pytest.raises(PermanentChannelError, match="Bad"):
        ChannelHttp("https://api.example", error_parser=parser, session=requests.Session()).get("/a", operation="x")
