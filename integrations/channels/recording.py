"""A transport that answers a module's client from recorded responses and keeps every request it built.

For the contract kit: a client runs unchanged against it (its own paths, auth, headers and bodies), nothing
leaves the process, and each request is kept exactly as it would go on the wire. A standard OAuth2
client-credentials token request (RFC 6749 §4.4, ``grant_type=client_credentials``) is answered with a test
token, so clients that authenticate that way work without knowing the kit.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

from integrations.http import ChannelHttp, MemoryCallRecorder, MemoryTokenStore
from integrations.http.auth import AuthStrategy

from .context import MemoryDocumentHost

TEST_ACCESS_TOKEN = "contract-kit-access-token"


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    url: str
    headers: CaseInsensitiveDict
    body: bytes

    @property
    def path(self) -> str:
        return urlsplit(self.url).path

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None

    @property
    def is_token_request(self) -> bool:
        if self.method != "POST" or not self.body:
            return False
        try:
            form = parse_qs(self.body.decode())
        except UnicodeDecodeError:
            return False
        return form.get("grant_type") == ["client_credentials"]


@dataclass(frozen=True)
class CannedResponse:
    status: int = 200
    body: Any = None
    """A JSON value, or bytes sent as they are (``b""`` for an empty body)."""

    def content(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        return b"" if self.body is None else json.dumps(self.body).encode()


Responder = Callable[[RecordedRequest], CannedResponse]


class _Adapter(BaseAdapter):
    def __init__(self, transport: RecordingTransport) -> None:
        super().__init__()
        self._transport = transport

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        body = request.body or b""
        recorded = RecordedRequest(
            method=(request.method or "").upper(),
            url=request.url or "",
            headers=CaseInsensitiveDict(request.headers),
            body=body.encode() if isinstance(body, str) else bytes(body),
        )
        self._transport.requests.append(recorded)
        if recorded.is_token_request:
            canned = CannedResponse(200, {"access_token": TEST_ACCESS_TOKEN, "token_type": "Bearer",
                                          "expires_in": 3600})
        else:
            canned = self._transport.respond(recorded)
        response = requests.Response()
        response.status_code = canned.status
        response._content = canned.content()
        response.headers = CaseInsensitiveDict({"Content-Type": "application/json"} if response._content else {})
        response.url = recorded.url
        response.request = request
        response.encoding = "utf-8"
        return response

    def close(self) -> None:
        pass


@dataclass
class RecordingTransport:
    """A ``ChannelTransport`` for tests: ``respond`` answers each request; ``requests`` keeps them in order."""

    respond: Responder = field(default=lambda request: CannedResponse(204, b""))
    requests: list[RecordedRequest] = field(default_factory=list)
    recorder: MemoryCallRecorder = field(default_factory=MemoryCallRecorder)
    token_store: MemoryTokenStore = field(default_factory=MemoryTokenStore)
    documents: MemoryDocumentHost = field(default_factory=MemoryDocumentHost)
    """What the client asked the platform to host (``host_document``), kept under each URL."""

    def __post_init__(self) -> None:
        self.session = requests.Session()
        self.session.trust_env = False
        adapter = _Adapter(self)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    def http(
        self,
        base_url: str,
        *,
        auth: AuthStrategy | None = None,
        error_parser: Any = None,
        default_headers: Mapping[str, str] | None = None,
    ) -> ChannelHttp:
        return ChannelHttp(base_url, auth=auth, recorder=self.recorder, session=self.session,
                           error_parser=error_parser, default_headers=default_headers)

    def host_document(
        self, name: str, content: bytes, content_type: str, *, ttl: timedelta, bearer_token: str | None = None
    ) -> str:
        return self.documents.host_document(name, content, content_type, ttl=ttl, bearer_token=bearer_token)

    def channel_requests(self) -> list[RecordedRequest]:
        """The requests the client made, token requests aside."""
        return [request for request in self.requests if not request.is_token_request]
