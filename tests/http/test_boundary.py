"""The client core is pure requests: importing and using it never loads Django."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import requests

from integrations.http import ChannelHttp, close_sessions, session_for
from tests.http.conftest import StubResponse, StubServer

ROOT = Path(__file__).resolve().parents[2]


def test_the_client_core_imports_without_django() -> None:
    # given a fresh interpreter without Django settings
    code = textwrap.dedent(
        """
        import sys
        from integrations.http import ChannelHttp, OAuth2ClientCredentials, MemoryTokenStore, ApiKeyHeader
        ChannelHttp("https://api.example", auth=ApiKeyHeader("X-Key", "k-123456"))
        loaded = sorted(m for m in sys.modules if m == "django" or m.startswith("django."))
        print(loaded)
        """
    )

    # when
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, env={"PATH": ""}, check=True
    )

    # then
    assert result.stdout.strip() == "[]"


def test_session_for_keeps_one_session_per_key() -> None:
    # given
    close_sessions()

    # when
    first = session_for("conn-1")
    again = session_for("conn-1")
    other = session_for("conn-2")

    # then
    assert first is again
    assert first is not other
    assert isinstance(first, requests.Session)
    close_sessions()
    assert session_for("conn-1") is not first


def test_clients_on_the_same_origin_share_a_pooled_session() -> None:
    a = ChannelHttp("https://api.example/v1")
    b = ChannelHttp("https://api.example/v2")
    assert a.transport.session is b.transport.session


def test_pooled_sessions_never_keep_cookies(stub: StubServer) -> None:
    # given a channel that sets a session cookie
    stub.on("GET", "/a", StubResponse(200, json={}, headers={"Set-Cookie": "sid=restaurant-1; Path=/"}))
    client = ChannelHttp(stub.url)

    # when
    client.get("/a", operation="x")
    client.get("/a", operation="x")

    # then
    assert len(client.transport.session.cookies) == 0
    assert "cookie" not in stub.requests[1].headers
