"""What a channel module's own tests get from the SDK alone: an in-memory recorder and token store."""

from __future__ import annotations

import itertools
from dataclasses import asdict

from integrations.http import (
    CallRecorder,
    ChannelHttp,
    MemoryCallRecorder,
    MemoryTokenStore,
    OAuth2ClientCredentials,
    TokenStore,
)
from integrations.http.redaction import MASK
from tests.http.conftest import ReceivedRequest, StubResponse, StubServer

CLIENT_SECRET = "module-client-secret-Q7W8E9"


def test_a_module_drives_the_client_with_in_memory_doubles_and_every_record_is_redacted(stub: StubServer) -> None:
    # given a channel whose first token is refused once, and which echoes secrets back
    issued: list[str] = []
    counter = itertools.count(1)

    def issue(request: ReceivedRequest) -> StubResponse:
        token = f"module-token-{next(counter):03d}-abcdef"
        issued.append(token)
        return StubResponse(200, json={"access_token": token, "expires_in": 3600})

    def order(request: ReceivedRequest) -> StubResponse:
        if request.headers["authorization"] == f"Bearer {issued[0]}":
            return StubResponse(401, json={"error": {"code": "expired", "message": f"token {issued[0]} expired"}})
        return StubResponse(200, json={"id": "o-1", "echo": request.headers["authorization"], "pad": "x" * 500})

    stub.on("POST", "/oauth/token", issue)
    stub.on("GET", "/v1/orders/o-1", order)
    recorder = MemoryCallRecorder()
    store = MemoryTokenStore()
    auth = OAuth2ClientCredentials(
        stub.url + "/oauth/token", "client-id-9", CLIENT_SECRET, token_store=store, cache_key="conn-9"
    )
    client = ChannelHttp(stub.url, auth=auth, recorder=recorder, correlation_id="corr-9", body_cap=120)

    # when
    answer = client.get("/v1/orders/o-1", operation="get_order", params={"password": "pw-in-the-query"}).json()

    # then the call succeeded after one refresh, and each exchange was recorded
    assert answer["id"] == "o-1"
    assert recorder.operations() == ["oauth_token", "get_order", "oauth_token", "get_order"]
    assert [call.outcome for call in recorder.calls] == ["ok", "retryable", "ok", "ok"]
    assert {call.correlation_id for call in recorder.calls} == {"corr-9"}
    # redacted: by header name, by shape, by remembered value; and capped
    token_call, refused, _, served = recorder.calls
    assert f"client_secret={MASK}" in token_call.request_body
    assert f'"access_token": "{MASK}"' in token_call.response_body
    assert refused.request_headers["Authorization"] == MASK
    assert f"token {MASK} expired" in refused.response_body
    assert f"password={MASK}" in served.url
    assert served.response_body.startswith(f'{{"id": "o-1", "echo": "Bearer {MASK}"')
    assert "[truncated" in served.response_body
    everything = repr([asdict(call) for call in recorder.calls])
    for secret in (CLIENT_SECRET, "pw-in-the-query", *issued):
        assert secret not in everything
    # the token store holds the refreshed token, shared by the next client on the same key
    stored = store.get("conn-9")
    assert stored is not None and stored.access_token == issued[1]
    again = ChannelHttp(
        stub.url,
        auth=OAuth2ClientCredentials(
            stub.url + "/oauth/token", "client-id-9", CLIENT_SECRET, token_store=store, cache_key="conn-9"
        ),
        recorder=recorder,
    )
    again.get("/v1/orders/o-1", operation="get_order")
    assert len(stub.received("POST", "/oauth/token")) == 2


def test_the_in_memory_doubles_satisfy_the_sdk_protocols() -> None:
    assert isinstance(MemoryCallRecorder(), CallRecorder)
    assert isinstance(MemoryTokenStore(), TokenStore)
    assert isinstance([].append, CallRecorder)  # any callable taking a record fits
