"""OAuth2 client credentials: one token for many calls, shared, refreshed, retried once on 401."""

from __future__ import annotations

import base64
import itertools
import logging
import time
from dataclasses import asdict
from typing import Any

import pytest

from integrations.http import (
    CallRecord,
    ChannelHttp,
    MemoryTokenStore,
    OAuth2ClientCredentials,
    PermanentChannelError,
    RetryableChannelError,
    StoredToken,
)
from integrations.http import auth as auth_module
from integrations.http.redaction import MASK
from tests.clocks import ManualClock
from tests.http.conftest import ReceivedRequest, StubResponse, StubServer

CLIENT_SECRET = "oauth-client-secret-XYZ789"


def token_issuer(stub: StubServer, expires_in: float = 3600) -> list[str]:
    """Serve a new token per token request; return the list of issued tokens."""
    issued: list[str] = []
    counter = itertools.count(1)

    def issue(request: ReceivedRequest) -> StubResponse:
        token = f"access-token-{next(counter):03d}-abcdef"
        issued.append(token)
        return StubResponse(200, json={"access_token": token, "token_type": "Bearer", "expires_in": expires_in})

    stub.on("POST", "/oauth/token", issue)
    return issued


def protected(stub: StubServer, path: str = "/v1/orders/1") -> None:
    """An API endpoint that accepts only the latest issued token."""

    def handle(request: ReceivedRequest) -> StubResponse:
        return StubResponse(200, json={"auth": request.headers.get("authorization")})

    stub.on("GET", path, handle)


def make_auth(stub: StubServer, store: MemoryTokenStore, **kwargs: Any) -> OAuth2ClientCredentials:
    return OAuth2ClientCredentials(
        stub.url + "/oauth/token",
        "client-id-1",
        CLIENT_SECRET,
        scope="eats.order",
        token_store=store,
        cache_key="conn-1",
        **kwargs,
    )


def test_one_token_request_serves_many_calls(stub: StubServer, records: list[CallRecord]) -> None:
    # given
    issued = token_issuer(stub)
    protected(stub)
    client = ChannelHttp(stub.url, auth=make_auth(stub, MemoryTokenStore()), recorder=records.append)

    # when
    answers = [client.get("/v1/orders/1", operation="get_order").json()["auth"] for _ in range(5)]

    # then
    assert len(stub.received("POST", "/oauth/token")) == 1
    assert answers == [f"Bearer {issued[0]}"] * 5
    assert [r.operation for r in records] == ["oauth_token"] + ["get_order"] * 5


def test_token_request_is_a_client_credentials_form_and_is_recorded_masked(
    stub: StubServer, records: list[CallRecord], caplog: pytest.LogCaptureFixture
) -> None:
    # given
    issued = token_issuer(stub)
    protected(stub)
    client = ChannelHttp(stub.url, auth=make_auth(stub, MemoryTokenStore()), recorder=records.append)

    # when
    with caplog.at_level(logging.DEBUG):
        client.get("/v1/orders/1", operation="get_order")

    # then
    form = stub.received("POST", "/oauth/token")[0].form()
    assert form == {
        "grant_type": "client_credentials",
        "scope": "eats.order",
        "client_id": "client-id-1",
        "client_secret": CLIENT_SECRET,
    }
    token_record, call_record = records
    assert token_record.operation == "oauth_token"
    assert token_record.outcome == "ok"
    assert f"client_secret={MASK}" in token_record.request_body
    assert f'"access_token": "{MASK}"' in token_record.response_body
    assert call_record.request_headers["Authorization"] == MASK
    everything = " ".join([*(repr(asdict(r)) for r in records), caplog.text])
    assert CLIENT_SECRET not in everything
    assert issued[0] not in everything


def test_client_credentials_can_go_as_http_basic(stub: StubServer) -> None:
    # given
    token_issuer(stub)
    protected(stub)
    auth = make_auth(stub, MemoryTokenStore(), client_auth="basic")

    # when
    ChannelHttp(stub.url, auth=auth).get("/v1/orders/1", operation="get_order")

    # then
    token_request = stub.received("POST", "/oauth/token")[0]
    assert "client_secret" not in token_request.form()
    expected = base64.b64encode(f"client-id-1:{CLIENT_SECRET}".encode()).decode()
    assert token_request.headers["authorization"] == f"Basic {expected}"


def test_two_clients_sharing_a_store_share_the_token(stub: StubServer) -> None:
    # given
    token_issuer(stub)
    protected(stub)
    store = MemoryTokenStore()
    first = ChannelHttp(stub.url, auth=make_auth(stub, store))
    second = ChannelHttp(stub.url, auth=make_auth(stub, store))

    # when
    a = first.get("/v1/orders/1", operation="get_order").json()["auth"]
    b = second.get("/v1/orders/1", operation="get_order").json()["auth"]

    # then
    assert a == b
    assert len(stub.received("POST", "/oauth/token")) == 1


def test_an_expired_cached_token_is_refreshed(stub: StubServer) -> None:
    # given
    issued = token_issuer(stub)
    protected(stub)
    store = MemoryTokenStore()
    store.set("conn-1", StoredToken("stale-token-000000", expires_at=time.time() - 5))
    client = ChannelHttp(stub.url, auth=make_auth(stub, store))

    # when
    answer = client.get("/v1/orders/1", operation="get_order").json()["auth"]

    # then
    assert answer == f"Bearer {issued[0]}"
    assert store.get("conn-1") == StoredToken(issued[0], store.get("conn-1").expires_at)  # type: ignore[union-attr]


def test_a_token_is_refreshed_within_the_margin_before_expiry(stub: StubServer) -> None:
    # given a token valid for 30 s more, and a 60 s refresh margin
    issued = token_issuer(stub)
    protected(stub)
    store = MemoryTokenStore()
    store.set("conn-1", StoredToken("nearly-expired-token", expires_at=time.time() + 30))
    client = ChannelHttp(stub.url, auth=make_auth(stub, store, refresh_margin_seconds=60))

    # when
    answer = client.get("/v1/orders/1", operation="get_order").json()["auth"]

    # then
    assert answer == f"Bearer {issued[0]}"


def test_a_tiny_expires_in_makes_the_next_call_fetch_again(stub: StubServer, monkeypatch) -> None:
    # given a token that lives 0.25 s, on a clock the test moves (steps exact in binary)
    clock = ManualClock()
    monkeypatch.setattr(auth_module, "_clock", clock)
    issued = token_issuer(stub, expires_in=0.25)
    protected(stub)
    client = ChannelHttp(stub.url, auth=make_auth(stub, MemoryTokenStore(), refresh_margin_seconds=0))

    # when
    first = client.get("/v1/orders/1", operation="get_order").json()["auth"]
    clock.advance(0.125)
    still = client.get("/v1/orders/1", operation="get_order").json()["auth"]
    clock.advance(0.125)
    second = client.get("/v1/orders/1", operation="get_order").json()["auth"]

    # then: fresh until the instant it expires, then fetched again
    assert (first, still, second) == (f"Bearer {issued[0]}", f"Bearer {issued[0]}", f"Bearer {issued[1]}")


def test_a_401_drops_the_token_and_retries_once(stub: StubServer, records: list[CallRecord]) -> None:
    # given the API rejects the first token (revoked on the channel's side)
    issued = token_issuer(stub)

    def handle(request: ReceivedRequest) -> StubResponse:
        if request.headers["authorization"] == f"Bearer {issued[0]}":
            return StubResponse(401, json={"error": {"code": "unauthorized", "message": "Token revoked"}})
        return StubResponse(200, json={"ok": True})

    stub.on("GET", "/v1/orders/1", handle)
    store = MemoryTokenStore()
    client = ChannelHttp(stub.url, auth=make_auth(stub, store), recorder=records.append)

    # when
    response = client.get("/v1/orders/1", operation="get_order")

    # then
    assert response.json() == {"ok": True}
    assert len(stub.received("POST", "/oauth/token")) == 2
    assert len(stub.received("GET", "/v1/orders/1")) == 2
    assert store.get("conn-1").access_token == issued[1]  # type: ignore[union-attr]
    assert [(r.operation, r.outcome) for r in records] == [
        ("oauth_token", "ok"),
        ("get_order", "retryable"),
        ("oauth_token", "ok"),
        ("get_order", "ok"),
    ]


def test_a_second_401_raises_permanent(stub: StubServer, records: list[CallRecord]) -> None:
    # given
    token_issuer(stub)
    stub.on("GET", "/v1/orders/1", StubResponse(401, json={"message": "Invalid credentials"}))
    client = ChannelHttp(stub.url, auth=make_auth(stub, MemoryTokenStore()), recorder=records.append)

    # when
    with pytest.raises(PermanentChannelError) as caught:
        client.get("/v1/orders/1", operation="get_order")

    # then
    assert caught.value.status_code == 401
    assert caught.value.message == "Invalid credentials"
    assert len(stub.received("GET", "/v1/orders/1")) == 2
    assert records[-1].outcome == "permanent"


def test_a_rejected_token_request_is_permanent(stub: StubServer, records: list[CallRecord]) -> None:
    # given
    stub.on(
        "POST",
        "/oauth/token",
        StubResponse(401, json={"error": "invalid_client", "error_description": f"bad secret {CLIENT_SECRET}"}),
    )
    client = ChannelHttp(stub.url, auth=make_auth(stub, MemoryTokenStore()), recorder=records.append)

    # when
    with pytest.raises(PermanentChannelError) as caught:
        client.get("/v1/orders/1", operation="get_order")

    # then
    assert caught.value.channel_code == "invalid_client"
    assert caught.value.operation == "oauth_token"
    assert CLIENT_SECRET not in str(caught.value)
    assert [(r.operation, r.outcome) for r in records] == [("oauth_token", "permanent")]
    assert stub.received("GET", "/v1/orders/1") == []


def test_a_failing_token_endpoint_is_retryable(stub: StubServer) -> None:
    # given
    stub.on("POST", "/oauth/token", StubResponse(503, body="maintenance"))
    client = ChannelHttp(stub.url, auth=make_auth(stub, MemoryTokenStore()))

    # when / then
    with pytest.raises(RetryableChannelError):
        client.get("/v1/orders/1", operation="get_order")


def test_a_token_response_without_access_token_is_permanent(stub: StubServer) -> None:
    # given
    stub.on("POST", "/oauth/token", StubResponse(200, json={"token_type": "Bearer"}))
    client = ChannelHttp(stub.url, auth=make_auth(stub, MemoryTokenStore()))

    # when / then
    with pytest.raises(PermanentChannelError, match="without an access_token"):
        client.get("/v1/orders/1", operation="get_order")


def test_concurrent_first_calls_fetch_one_token(stub: StubServer) -> None:
    # given
    import threading

    token_issuer(stub)
    protected(stub)
    store = MemoryTokenStore()
    clients = [ChannelHttp(stub.url, auth=make_auth(stub, store)) for _ in range(8)]
    answers: list[str] = []

    def call(client: ChannelHttp) -> None:
        answers.append(client.get("/v1/orders/1", operation="get_order").json()["auth"])

    # when
    threads = [threading.Thread(target=call, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then
    assert len(stub.received("POST", "/oauth/token")) == 1
    assert len(set(answers)) == 1 and len(answers) == 8
