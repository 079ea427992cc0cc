"""The SDK is pure: importing and using it never loads Django or anything of the platform."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import requests

from integrations.http import ChannelHttp, close_sessions, session_for
from tests.http.conftest import StubResponse, StubServer

ROOT = Path(__file__).resolve().parents[2]


# Everything of the platform the SDK must never load, directly or through a dependency.
PLATFORM_PREFIXES = (
    "django",
    "integrations",
    "sinqro_platform",
    "orders",
    "catalog",
    "restaurants",
    "api",
    "sandbox_market",
    "channel_simulators",
)

PURITY_PROBE = textwrap.dedent(
    """
    import importlib, json, pkgutil, sys

    import integrations.http
    submodules = sorted(m.name for m in pkgutil.iter_modules(integrations.http.__path__, "integrations.http."))
    for name in submodules:
        importlib.import_module(name)

    from integrations.http import (
        ApiKeyHeader, ChannelHttp, MemoryCallRecorder, MemoryTokenStore, OAuth2ClientCredentials,
    )

    # use it, too: an OAuth token fetch, a call, its record; lazy imports would show up now
    base_url = sys.argv[1]
    recorder = MemoryCallRecorder()
    auth = OAuth2ClientCredentials(
        base_url + "/oauth/token", "client-id", "probe-client-secret-123", token_store=MemoryTokenStore()
    )
    ChannelHttp(base_url, auth=auth, recorder=recorder).get("/ping", operation="ping")
    ChannelHttp("https://api.example", auth=ApiKeyHeader("X-Key", "k-123456"))

    print(json.dumps({
        "submodules": submodules,
        "operations": recorder.operations(),
        "loaded": sorted(sys.modules),
    }))
    """
)


def test_the_sdk_imports_and_runs_without_any_of_the_platform(stub: StubServer) -> None:
    # given a fresh interpreter without Django settings, and a channel to call
    stub.on("POST", "/oauth/token", StubResponse(200, json={"access_token": "probe-token-abcdef", "expires_in": 60}))
    stub.on("GET", "/ping", StubResponse(200, json={"pong": True}))

    # when it imports every SDK module and makes a recorded OAuth call
    result = subprocess.run(
        [sys.executable, "-c", PURITY_PROBE, stub.url],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PATH": ""},
        check=False,
    )

    # then nothing of the platform was loaded
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert {"integrations.http.auth", "integrations.http.redaction", "integrations.http.transport"} <= set(
        report["submodules"]
    )
    assert report["operations"] == ["oauth_token", "ping"]
    loaded = set(report["loaded"])
    assert "django" not in loaded
    assert "integrations.models" not in loaded
    assert "integrations.secrets" not in loaded
    platform = sorted(
        name
        for name in loaded
        if name.split(".")[0] in PLATFORM_PREFIXES
        and name != "integrations"  # the namespace package that holds the SDK
        and not (name == "integrations.http" or name.startswith("integrations.http."))
    )
    assert platform == []


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
