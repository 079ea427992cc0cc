"""Static auth strategies and request signing, and secrets never showing in clear."""

from __future__ import annotations

import logging
from dataclasses import asdict

import pytest

from integrations.http import (
    ApiKeyHeader,
    CallRecord,
    ChannelHttp,
    CombinedAuth,
    HmacRequestSigning,
    PermanentChannelError,
    StaticToken,
)
from integrations.http.redaction import MASK
from tests.http.conftest import ReceivedRequest, StubResponse, StubServer


def everything(records: list[CallRecord], *extra: str) -> str:
    return " ".join([*(repr(asdict(r)) for r in records), *extra])


def test_api_key_header_is_sent_and_masked_everywhere(
    stub: StubServer, records: list[CallRecord], caplog: pytest.LogCaptureFixture
) -> None:
    # given
    key = "sk_live_APIKEY_7f3a9c"
    stub.on("GET", "/orders/1", StubResponse(200, json={"id": 1}))
    revoked = {"error": {"code": "forbidden", "message": f"Key {key} is revoked"}}
    stub.on("GET", "/orders/2", StubResponse(403, json=revoked))
    client = ChannelHttp(stub.url, auth=ApiKeyHeader("X-Market-Key", key), recorder=records.append)

    # when
    with caplog.at_level(logging.DEBUG):
        client.get("/orders/1", operation="get_order")
        with pytest.raises(PermanentChannelError) as caught:
            client.get("/orders/2", operation="get_order")

    # then
    assert stub.requests[0].headers["x-market-key"] == key
    assert records[0].request_headers["X-Market-Key"] == MASK
    assert caught.value.message == f"Key {MASK} is revoked"
    assert key not in everything(records, str(caught.value), repr(caught.value), caplog.text, repr(client.auth))


def test_static_token_as_is_and_with_scheme(stub: StubServer, records: list[CallRecord]) -> None:
    # given
    token = "glovo-static-token-123456"
    stub.on("GET", "/a", StubResponse(200, json={}))

    # when
    ChannelHttp(stub.url, auth=StaticToken(token), recorder=records.append).get("/a", operation="x")
    ChannelHttp(stub.url, auth=StaticToken(token, scheme="Bearer"), recorder=records.append).get("/a", operation="x")
    ChannelHttp(stub.url, auth=StaticToken(token, header="X-Token"), recorder=records.append).get("/a", operation="x")

    # then
    assert stub.requests[0].headers["authorization"] == token
    assert stub.requests[1].headers["authorization"] == f"Bearer {token}"
    assert stub.requests[2].headers["x-token"] == token
    assert token not in everything(records)


def test_static_auth_does_not_retry_a_401(stub: StubServer, records: list[CallRecord]) -> None:
    # given
    stub.on("GET", "/a", StubResponse(401, json={"message": "Unauthorized"}))

    # when
    with pytest.raises(PermanentChannelError):
        ChannelHttp(stub.url, auth=StaticToken("tok-abcdef"), recorder=records.append).get("/a", operation="x")

    # then
    assert len(stub.requests) == 1
    assert [r.outcome for r in records] == ["permanent"]


def test_secrets_in_response_bodies_and_query_strings_are_masked(stub: StubServer, records: list[CallRecord]) -> None:
    # given a body echoing secret-shaped fields the client never saw, and a secret query param
    stub.on(
        "GET",
        "/echo",
        StubResponse(
            500, json={"client_secret": "never-seen-secret-1", "message": "rejected token=never-seen-secret-2"}
        ),
    )
    client = ChannelHttp(stub.url, recorder=records.append)

    # when
    with pytest.raises(Exception) as caught:
        client.get("/echo", operation="x", params={"api_key": "query-secret-3", "page": "2"})

    # then
    text = everything(records, str(caught.value))
    for secret in ("never-seen-secret-1", "never-seen-secret-2", "query-secret-3"):
        assert secret not in text
    assert records[0].url.endswith(f"/echo?api_key={MASK}&page=2")


def test_hmac_signature_is_verifiable_by_the_server(stub: StubServer, records: list[CallRecord]) -> None:
    # given
    secret = "hmac-signing-secret-42"
    seen: list[bool] = []
    # A fixed vector, computed once outside our code:
    #   printf '1700000000.{"status": "READY"}' | openssl dgst -sha256 -hmac "hmac-signing-secret-42"
    expected = "62d545a44d7320a769f344d1fe7811a763ab6ea5f239dd9da4f6aef46793d172"

    def verify(request: ReceivedRequest) -> StubResponse:
        assert request.headers["x-timestamp"] == "1700000000" and request.body == b'{"status": "READY"}'
        seen.append(request.headers["x-signature"] == expected)
        return StubResponse(200 if seen[-1] else 401, json={})

    stub.on("POST", "/status", verify)
    auth = HmacRequestSigning(secret, clock=lambda: 1_700_000_000)
    client = ChannelHttp(stub.url, auth=auth, recorder=records.append)

    # when
    client.post("/status", operation="set_status", json={"status": "READY"})

    # then
    assert seen == [True]
    received = stub.requests[0]
    assert received.headers["x-timestamp"] == "1700000000"
    assert records[0].request_headers["X-Signature"] == MASK
    assert secret not in everything(records)


def test_hmac_signs_the_exact_bytes_of_an_empty_body(stub: StubServer) -> None:
    # given
    stub.on("GET", "/a", StubResponse(200, json={}))
    auth = HmacRequestSigning("s3cr3t-key", header="X-Sig", timestamp_header="X-Ts", clock=lambda: 1_700_000_000.9)
    client = ChannelHttp(stub.url, auth=auth)

    # when
    client.get("/a", operation="x")

    # then: whole seconds, and the message is the timestamp and the dot alone. Computed once outside our code:
    #   printf '1700000000.' | openssl dgst -sha256 -hmac "s3cr3t-key"
    headers = stub.requests[0].headers
    assert headers["x-ts"] == "1700000000"
    assert headers["x-sig"] == "6a2f510fa8ba48c8746d376d697717f20a502cbb9ec7d993434d9542fb5fb96a"


def test_combined_auth_applies_every_strategy(stub: StubServer) -> None:
    # given
    stub.on("POST", "/a", StubResponse(200, json={}))
    auth = CombinedAuth(ApiKeyHeader("X-Api-Key", "combo-key-1"),
                        HmacRequestSigning("combo-secret-2", clock=lambda: 1_700_000_000))

    # when
    ChannelHttp(stub.url, auth=auth).post("/a", operation="x", json={"a": 1})

    # then
    headers = stub.requests[0].headers
    assert headers["x-api-key"] == "combo-key-1"
    assert headers["x-timestamp"] == "1700000000" and stub.requests[0].body == b'{"a": 1}'
    # A fixed vector, computed once outside our code:
    #   printf '1700000000.{"a": 1}' | openssl dgst -sha256 -hmac "combo-secret-2"
    assert headers["x-signature"] == "0ffc667f8eef61f07b512d7db0ef43bd0b979e7e0e5aef4ed351a288f56071a5"
