"""The platform's recorder: ChannelCall rows, redacted, and the connection's health."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.db import connection as db_connection
from django.db import transaction

from integrations.calls import ChannelCallRecorder, DjangoCacheTokenStore, platform_http_options
from integrations.connections import PlatformTransport
from integrations.http import (
    ApiKeyHeader,
    CallRecord,
    ChannelHttp,
    OAuth2ClientCredentials,
    PermanentChannelError,
    RetryableChannelError,
)
from integrations.http.redaction import MASK
from integrations.models import Channel, ChannelCall, Connection
from restaurants.models import Restaurant
from tests.http.conftest import ReceivedRequest, StubResponse, StubServer

SECRET = "sk_live_SECRET123"


@pytest.fixture
def conn() -> Connection:
    restaurant = Restaurant.objects.create(name="Casa Pepe", slug="casa-pepe")
    channel = Channel.objects.create(name="Sandbox Market ES", module="sandbox_market")
    return Connection.objects.create(
        restaurant=restaurant, channel=channel, store_id="store-1", credentials={"api_key": SECRET}
    )


def client_for(stub: StubServer, conn: Connection) -> ChannelHttp:
    fresh = Connection.objects.get(pk=conn.pk)  # decrypting credentials remembers the secret
    return ChannelHttp(
        stub.url, auth=ApiKeyHeader("X-Market-Key", fresh.credentials["api_key"]), recorder=ChannelCallRecorder(conn.pk)
    )


def raw_rows() -> list[tuple[Any, ...]]:
    with db_connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {ChannelCall._meta.db_table}")
        return list(cursor.fetchall())


@pytest.mark.django_db
def test_an_ok_call_is_stored_redacted_and_marks_the_connection_healthy(stub: StubServer, conn: Connection) -> None:
    # given
    Connection.objects.filter(pk=conn.pk).update(consecutive_failures=3)
    stub.on("GET", "/orders/1", StubResponse(200, json={"id": 1, "note": f"echo {SECRET}"}))

    # when
    client_for(stub, conn).get("/orders/1", operation="get_order")

    # then
    call = ChannelCall.objects.get()
    assert call.connection_id == conn.pk
    assert call.operation == "get_order"
    assert call.method == "GET"
    assert call.status_code == 200
    assert call.outcome == ChannelCall.Outcome.OK
    assert call.request_headers["X-Market-Key"] == MASK
    assert f"echo {MASK}" in call.response_body
    assert SECRET not in repr(raw_rows())
    conn.refresh_from_db()
    assert conn.last_call_ok_at is not None
    assert conn.consecutive_failures == 0


@pytest.mark.django_db
def test_failures_count_up_and_keep_a_short_redacted_error(stub: StubServer, conn: Connection) -> None:
    # given
    long_message = f"Key {SECRET} " + "x" * 900
    stub.on("POST", "/menus", StubResponse(400, json={"error": {"code": "bad", "message": long_message}}))
    stub.on("GET", "/orders/1", StubResponse(503, body="busy"))
    client = client_for(stub, conn)

    # when
    with pytest.raises(PermanentChannelError):
        client.post("/menus", operation="push_catalog", json={"api_key": SECRET})
    with pytest.raises(RetryableChannelError):
        client.get("/orders/1", operation="get_order")

    # then
    conn.refresh_from_db()
    assert conn.consecutive_failures == 2
    assert conn.last_call_failed_at is not None
    assert conn.last_call_ok_at is None
    assert conn.last_error.startswith("busy")
    assert [c.outcome for c in ChannelCall.objects.order_by("id")] == ["permanent", "retryable"]
    first = ChannelCall.objects.order_by("id").first()
    assert first is not None
    assert first.request_body == f'{{"api_key": "{MASK}"}}'
    assert SECRET not in repr(raw_rows())


@pytest.mark.django_db
def test_the_failure_counter_uses_the_database_value(conn: Connection) -> None:
    # given another worker already counted failures the in-memory recorder never saw
    record = ChannelCallRecorder(conn.pk)
    Connection.objects.filter(pk=conn.pk).update(consecutive_failures=5)
    failure = CallRecord(
        operation="get_order", correlation_id="c", method="GET", url="https://x/y", outcome="retryable", error="boom"
    )

    # when
    record(failure)

    # then
    conn.refresh_from_db()
    assert conn.consecutive_failures == 6
    assert conn.last_error == "boom"


@pytest.mark.django_db
def test_stored_bodies_are_capped_by_the_setting(settings: Any, conn: Connection) -> None:
    # given
    settings.CHANNEL_CALL_BODY_CAP = 10
    call = CallRecord(operation="x", correlation_id="c", method="POST", url="https://x/y", request_body="a" * 50)

    # when
    ChannelCallRecorder(conn.pk)(call)

    # then
    assert ChannelCall.objects.get().request_body == "a" * 10 + "… [truncated 40 chars]"


@pytest.mark.django_db
def test_a_call_without_connection_is_stored(conn: Connection) -> None:
    # when
    ChannelCallRecorder(None)(CallRecord(operation="oauth_token", correlation_id="c", method="POST", url="https://x/t"))

    # then
    assert ChannelCall.objects.get().connection_id is None


@pytest.mark.django_db(transaction=True)
def test_a_failing_write_is_logged_and_never_raises_nor_poisons_the_transaction(
    conn: Connection, caplog: pytest.LogCaptureFixture
) -> None:
    # given a record the table rejects (a negative status breaks the positive-integer check)
    bad = CallRecord(operation="x", correlation_id="c", method="GET", url="https://x/y", status_code=-1)
    recorder = ChannelCallRecorder(conn.pk)

    # when
    with transaction.atomic():
        recorder(bad)
        Restaurant.objects.create(name="Still works", slug="still-works")

    # then
    assert Restaurant.objects.filter(slug="still-works").exists()
    assert ChannelCall.objects.count() == 0
    assert "Could not store the channel call record" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_a_call_for_a_deleted_connection_is_kept_without_it(conn: Connection) -> None:
    # given
    recorder = ChannelCallRecorder(conn.pk)
    Connection.objects.filter(pk=conn.pk).delete()

    # when
    with transaction.atomic():
        recorder(CallRecord(operation="x", correlation_id="c", method="GET", url="https://x/y"))

    # then
    assert ChannelCall.objects.get().connection_id is None


@pytest.mark.django_db
def test_platform_options_follow_settings(settings: Any, stub: StubServer, conn: Connection) -> None:
    # given
    settings.CHANNEL_CONNECT_TIMEOUT = 1.5
    settings.CHANNEL_READ_TIMEOUT = 4.0
    settings.CHANNEL_CALL_BODY_CAP = 123
    stub.on("GET", "/a", StubResponse(200, json={}))

    # when
    options = platform_http_options(conn.pk)
    ChannelHttp(stub.url, **options).get("/a", operation="x")

    # then
    assert options["timeout"] == (1.5, 4.0)
    assert options["body_cap"] == 123
    assert ChannelCall.objects.filter(connection=conn).count() == 1


@pytest.mark.django_db
def test_the_platform_transport_injects_its_recorder_and_one_shared_token_per_connection(
    stub: StubServer, conn: Connection
) -> None:
    # given two transports for one connection (two jobs, or two workers), each building an OAuth client
    issued: list[str] = []

    def issue(request: ReceivedRequest) -> StubResponse:
        issued.append(f"platform-token-{len(issued) + 1:03d}-abcdef")
        return StubResponse(200, json={"access_token": issued[-1], "expires_in": 3600})

    def orders(request: ReceivedRequest) -> StubResponse:
        if request.headers["authorization"] == f"Bearer {issued[0]}" and len(issued) == 1:
            return StubResponse(401, json={"error": {"code": "expired", "message": "expired"}})
        return StubResponse(200, json={"auth": request.headers["authorization"]})

    stub.on("POST", "/oauth/token", issue)
    stub.on("GET", "/orders", orders)
    cache_key = f"test-oauth:{uuid.uuid4().hex}"
    transports = [PlatformTransport(conn.pk, correlation_id=f"corr-{n}") for n in (1, 2)]

    # when
    for transport in transports:
        auth = OAuth2ClientCredentials(
            stub.url + "/oauth/token",
            "client-id",
            "platform-client-secret-1",
            token_store=transport.token_store,
            cache_key=cache_key,
        )
        transport.http(stub.url, auth=auth).get("/orders", operation="get_orders")

    # then the first refreshed once after the 401; the second reused that token from the shared cache
    assert all(isinstance(t.token_store, DjangoCacheTokenStore) for t in transports)
    assert len(issued) == 2
    rows = list(ChannelCall.objects.filter(connection=conn).order_by("id"))
    assert [(r.operation, r.outcome, r.correlation_id) for r in rows] == [
        ("oauth_token", "ok", "corr-1"),
        ("get_orders", "retryable", "corr-1"),
        ("oauth_token", "ok", "corr-1"),
        ("get_orders", "ok", "corr-1"),
        ("get_orders", "ok", "corr-2"),
    ]
    assert all(r.request_headers.get("Authorization") in (None, MASK) for r in rows)
    for secret in ("platform-client-secret-1", *issued):
        assert secret not in repr(raw_rows())
    transports[0].token_store.delete(cache_key)
